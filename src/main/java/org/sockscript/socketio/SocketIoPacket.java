package org.sockscript.socketio;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * A Socket.IO 5 packet, the data of an Engine.IO message: a type digit ({@code 0} connect,
 * {@code 1} disconnect, {@code 2} event, {@code 3} ack, {@code 4} connect_error, {@code 5} and
 * {@code 6} their binary forms), the namespace when it is not {@code /} followed by a comma, an
 * optional ack id, and a JSON payload. An event's payload is an array whose first element is the
 * event's name. Binary packets (attachments) are refused: this client speaks text only.
 */
record SocketIoPacket(int type, String namespace, long ackId, JsonElement data) {

  static final int CONNECT = 0;
  static final int DISCONNECT = 1;
  static final int EVENT = 2;
  static final int ACK = 3;
  static final int CONNECT_ERROR = 4;

  static SocketIoPacket event(String name, JsonElement... args) {
    JsonArray array = new JsonArray();
    array.add(name);
    for (JsonElement arg : args) {
      array.add(arg);
    }
    return new SocketIoPacket(EVENT, "/", -1, array);
  }

  static SocketIoPacket decode(String text) throws SocketIoProtocolException {
    if (text.isEmpty() || text.charAt(0) < '0' || text.charAt(0) > '6') {
      throw new SocketIoProtocolException("a Socket.IO packet of unknown type (expected a digit 0-6 first): " + Wire.quote(text));
    }
    int type = text.charAt(0) - '0';
    if (type > CONNECT_ERROR) {
      throw new SocketIoProtocolException("a binary Socket.IO packet (type " + type
          + "; this client supports text packets only): " + Wire.quote(text));
    }
    int at = 1;
    String namespace = "/";
    if (at < text.length() && text.charAt(at) == '/') {
      int comma = text.indexOf(',', at);
      namespace = text.substring(at, comma < 0 ? text.length() : comma);
      at = comma < 0 ? text.length() : comma + 1;
    }
    int digits = at;
    while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
      digits++;
    }
    if (digits - at > 15) {
      throw new SocketIoProtocolException("a Socket.IO ack id of " + (digits - at) + " digits (expected at most 15): " + Wire.quote(text));
    }
    long ackId = digits > at ? Long.parseLong(text.substring(at, digits)) : -1;
    String payload = text.substring(digits);
    JsonElement data = payload.isEmpty() ? null : Json.parse(payload, "the Socket.IO packet's payload");
    SocketIoPacket packet = new SocketIoPacket(type, namespace, ackId, data);
    packet.check(text);
    return packet;
  }

  private void check(String text) throws SocketIoProtocolException {
    String problem = switch (type) {
      case CONNECT -> data == null || data.isJsonObject() ? null : "a connect packet's payload must be an object";
      case DISCONNECT -> data == null ? null : "a disconnect packet carries no payload";
      case EVENT -> data != null && data.isJsonArray() && !data.getAsJsonArray().isEmpty()
          && data.getAsJsonArray().get(0).isJsonPrimitive() && data.getAsJsonArray().get(0).getAsJsonPrimitive().isString()
          ? null : "an event's payload must be an array starting with the event's name";
      case ACK -> data != null && data.isJsonArray() && ackId >= 0 ? null : "an ack needs an id and an array payload";
      default -> data != null && (data.isJsonObject() || data.isJsonPrimitive() && data.getAsJsonPrimitive().isString())
          ? null : "a connect_error's payload must be an object or a string";
    };
    if (problem != null) {
      throw new SocketIoProtocolException(problem + ": " + Wire.quote(text));
    }
  }

  String encode() {
    return type + (namespace.equals("/") ? "" : namespace + ",") + (ackId >= 0 ? Long.toString(ackId) : "")
        + (data == null ? "" : data.toString());
  }

  /** An event's name; call only on an event. */
  String eventName() {
    return data.getAsJsonArray().get(0).getAsString();
  }

  /** An event's arguments (after the name), a copy. */
  JsonArray eventArgs() {
    JsonArray args = new JsonArray();
    JsonArray all = data.getAsJsonArray();
    for (int i = 1; i < all.size(); i++) {
      args.add(all.get(i).deepCopy());
    }
    return args;
  }

  /** The message of a connect_error: its {@code message} field, or the string itself. */
  String errorMessage() {
    if (data.isJsonObject()) {
      JsonObject o = data.getAsJsonObject();
      return o.has("message") ? o.get("message").toString() : o.toString();
    }
    return data.getAsString();
  }
}
