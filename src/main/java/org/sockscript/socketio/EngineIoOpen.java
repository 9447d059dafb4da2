package org.sockscript.socketio;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import org.sockscript.internal.PeerText;

/**
 * The data of an Engine.IO open packet: {@code {"sid":"...","upgrades":[],"pingInterval":25000,
 * "pingTimeout":20000,"maxPayload":1000000}}. Times in milliseconds, each 1 ms to 1 day;
 * {@code maxPayload} (bytes the server accepts in one packet) defaults to 1,000,000 if absent.
 */
record EngineIoOpen(String sid, long pingInterval, long pingTimeout, long maxPayload) {

  private static final long DAY_MILLIS = 86_400_000L;

  static EngineIoOpen parse(String data) throws SocketIoProtocolException {
    JsonElement json = Json.parse(data, "the Engine.IO open packet");
    if (!json.isJsonObject()) {
      throw new SocketIoProtocolException("the Engine.IO open packet is not a JSON object: " + Wire.quote(data));
    }
    JsonObject open = json.getAsJsonObject();
    JsonElement sid = open.get("sid");
    if (sid == null || !sid.isJsonPrimitive() || !sid.getAsJsonPrimitive().isString() || sid.getAsString().isEmpty()) {
      throw new SocketIoProtocolException("the Engine.IO open packet has no \"sid\" string: " + Wire.quote(data));
    }
    return new EngineIoOpen(sid.getAsString(), millis(open, "pingInterval", data, -1),
        millis(open, "pingTimeout", data, -1), millis(open, "maxPayload", data, 1_000_000));
  }

  private static long millis(JsonObject open, String field, String data, long absent)
      throws SocketIoProtocolException {
    JsonElement value = open.get(field);
    if (value == null && absent > 0) {
      return absent;
    }
    long n = value != null && value.isJsonPrimitive() && ((JsonPrimitive) value).isNumber()
        ? wholeNumber(value.getAsJsonPrimitive()) : -1;
    long max = field.equals("maxPayload") ? Integer.MAX_VALUE : DAY_MILLIS;
    if (n < 1 || n > max) {
      throw new SocketIoProtocolException("the Engine.IO open packet's \"" + field + "\" is "
          + (value == null ? "missing" : PeerText.shorten(value.toString())) + " (expected a whole number from 1 to "
          + max + "): " + Wire.quote(data));
    }
    return n;
  }

  private static long wholeNumber(JsonPrimitive number) {
    try {
      return new java.math.BigDecimal(number.getAsString()).longValueExact();
    } catch (ArithmeticException | NumberFormatException notWhole) {
      return -1;
    }
  }
}
