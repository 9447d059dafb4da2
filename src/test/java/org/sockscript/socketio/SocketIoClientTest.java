package org.sockscript.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sockscript.testing.NodePeer;
import org.sockscript.testing.NodeSockets;

/**
 * The socket.io layer against a real socket.io v4 server ({@code server.js}): the Engine.IO open,
 * the Socket.IO connect, events both ways, pings answered for longer than the server would wait,
 * {@code connect_error}, and the frames on the wire.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketIoClientTest {

  @RegisterExtension
  final NodeSockets node = new NodeSockets();

  private static JsonObject config() {
    JsonObject config = new JsonObject();
    config.addProperty("pingIntervalMs", 100);
    config.addProperty("pingTimeoutMs", 100);
    return config;
  }

  @Test
  void pingsAreAnsweredSoTheSessionOutlivesThePingTimeoutAndEventsFlowBothWays() throws Exception {
    try (NodePeer server = node.start("server.js", config())) {
      List<String> wire = new CopyOnWriteArrayList<>();
      SocketIoClient io = new SocketIoClient(node.sockets(), "http://127.0.0.1:" + server.port());
      io.setWireLog(wire::add);
      CompletableFuture<JsonArray> answer = new CompletableFuture<>();
      io.on("not authorized", answer::complete);
      io.connect();
      assertThat(io.pingIntervalMillis()).isEqualTo(100);
      assertThat(io.pingTimeoutMillis()).isEqualTo(100);

      Thread.sleep(1000); // five times pingInterval + pingTimeout: the server drops a client that does not answer
      JsonObject credentials = new JsonObject();
      credentials.addProperty("username", "nobody");
      io.emit("authentication", credentials);

      assertThat(answer.get(10, TimeUnit.SECONDS).toString()).isEqualTo("[{\"message\":\"badly formed credentials\"}]");
      assertThat(io.disconnectReason()).isNull();
      assertThat(server.events().stream().noneMatch(e -> e.get("event").getAsString().equals("disconnect"))).isTrue();
      assertThat(wire).filteredOn(line -> line.equals("→ text 3")).hasSizeGreaterThanOrEqualTo(3);
      assertThat(wire).contains("→ text 40", "→ text 42[\"authentication\",{\"username\":\"nobody\"}]",
          "← text 42[\"not authorized\",{\"message\":\"badly formed credentials\"}]");
      assertThat(wire.get(0)).startsWith("→ GET /socket.io/?EIO=4&transport=websocket HTTP/1.1");
      assertThat(wire.get(1)).isEqualTo("← HTTP/1.1 101 Switching Protocols");
      assertThat(wire.get(2)).startsWith("← text 0{\"sid\":");
      io.close();
      assertThat(server.awaitEvent(e -> e.get("event").getAsString().equals("disconnect"), Duration.ofSeconds(10))
          .get("reason").getAsString()).isEqualTo("client namespace disconnect");
      assertThat(node.sockets().openSockets()).isEmpty();
    }
  }

  @Test
  void aConnectErrorFailsTheConnectWithTheServersMessage() throws Exception {
    JsonObject config = config();
    config.addProperty("connectError", "no entry today");
    try (NodePeer server = node.start("server.js", config)) {
      SocketIoClient io = new SocketIoClient(node.sockets(), "http://127.0.0.1:" + server.port());
      assertThatThrownBy(io::connect)
          .isInstanceOf(SocketIoProtocolException.class)
          .hasMessage("the server refused the Socket.IO connection (connect_error): \"no entry today\"");
      assertThat(node.sockets().openSockets()).isEmpty();
    }
  }

  @Test
  void anEventOverTheServersMaxPayloadInUtf8BytesIsRefusedBeforeItIsSent() throws Exception {
    try (NodePeer server = node.start("server.js", config())) { // maxPayload 4 MiB (server.js)
      SocketIoClient io = new SocketIoClient(node.sockets(), "http://127.0.0.1:" + server.port());
      io.connect();
      String text = "\u00e9".repeat(2_100_000); // 2,100,000 chars under 4 MiB, 4,200,000 UTF-8 bytes over it
      assertThatThrownBy(() -> io.emit("big", new JsonPrimitive(text)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("event \"big\" is 4200012 bytes in UTF-8, over the server's maxPayload of 4194304 bytes");
      io.emit("small", new JsonPrimitive("\u00e9"));
      assertThat(io.disconnectReason()).as("nothing was sent: the session goes on").isNull();
      io.close();
    }
  }

  @Test
  void aUrlNamingANamespaceIsRefusedByTheConstructor() {
    assertThatThrownBy(() -> new SocketIoClient(node.sockets(), "http://127.0.0.1:9/admin"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a valid socket.io URL: \"http://127.0.0.1:9/admin\" (expected scheme://host[:port]"
            + " with no path: this client speaks the default namespace only)");
  }
}
