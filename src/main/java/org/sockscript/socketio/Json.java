package org.sockscript.socketio;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import org.sockscript.internal.PeerText;

/** Strict JSON (RFC 8259) from the network, with a nesting limit, through Gson's tree parser. */
final class Json {

  static final int NESTING_LIMIT = 64;

  private Json() {}

  /** One JSON value that is all of {@code text}; {@code what} names it in the error. */
  static JsonElement parse(String text, String what) throws SocketIoProtocolException {
    try {
      JsonReader reader = new JsonReader(new StringReader(text));
      reader.setStrictness(Strictness.STRICT);
      reader.setNestingLimit(NESTING_LIMIT);
      JsonElement value = JsonParser.parseReader(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new SocketIoProtocolException(what + " has data after its JSON value: " + Wire.quote(text));
      }
      return value;
    } catch (JsonParseException | IOException | IllegalStateException e) {
      if (e instanceof SocketIoProtocolException p) {
        throw p;
      }
      throw new SocketIoProtocolException(what + " is not valid JSON (" + PeerText.shorten(String.valueOf(e.getMessage()))
          + "): " + Wire.quote(text));
    }
  }
}
