package org.sockscript.push;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Base64;
import org.sockscript.testing.TestIdentity;

/** The JSON config of the Node push server ({@code src/test/node/push-server/server.js}), built fluently. */
final class PushServerConfig {

  private final JsonObject json = new JsonObject();

  PushServerConfig() {
    json.add("registered", new JsonArray());
    json.add("revoked", new JsonArray());
    json.add("messages", new JsonArray());
  }

  PushServerConfig tls(TestIdentity identity) {
    JsonObject tls = new JsonObject();
    tls.addProperty("cert", identity.chainPem().toString());
    tls.addProperty("key", identity.keyPem().toString());
    json.add("tls", tls);
    return this;
  }

  PushServerConfig registered(String username) {
    json.getAsJsonArray("registered").add(username);
    return this;
  }

  PushServerConfig revoked(String identityKey) {
    json.getAsJsonArray("revoked").add(identityKey);
    return this;
  }

  PushServerConfig clockOffsetSeconds(long seconds) {
    json.addProperty("clockOffsetSeconds", seconds);
    return this;
  }

  PushServerConfig pings(long intervalMillis, long timeoutMillis) {
    json.addProperty("pingIntervalMs", intervalMillis);
    json.addProperty("pingTimeoutMs", timeoutMillis);
    return this;
  }

  /** The server sends a Socket.IO disconnect right after {@code authorized} (and the messages). */
  PushServerConfig disconnectAfterAuthorized() {
    json.addProperty("disconnectAfterAuthorized", true);
    return this;
  }

  PushServerConfig message(String id, byte[] header, byte[] body) {
    JsonObject m = new JsonObject();
    m.addProperty("id", id);
    m.addProperty("header", Base64.getEncoder().encodeToString(header));
    m.addProperty("body", Base64.getEncoder().encodeToString(body));
    json.getAsJsonArray("messages").add(m);
    return this;
  }

  JsonObject json() {
    return json.deepCopy();
  }
}
