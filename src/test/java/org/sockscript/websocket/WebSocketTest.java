package org.sockscript.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.NodePeer;
import org.sockscript.testing.NodeSockets;
import org.sockscript.testing.TestPki;

/**
 * The WebSocket client against the npm {@code ws} server (Node): messages both ways over ws and
 * wss, fragments joined, pings answered both ways, the close handshake started by either side,
 * and frames of exactly the inbound limit received, over it refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension
  final NodeSockets node = new NodeSockets();
  private SocketRegistry sockets;
  private NodePeer peer;

  @BeforeEach
  void trustTheTestRoot() throws Exception {
    sockets = node.sockets();
    sockets.setSslCertificates(List.of(TestPki.get().rootPem()));
  }

  private WebSocket connect(boolean tls) throws Exception {
    JsonObject config = new JsonObject();
    config.addProperty("mode", "echo");
    if (tls) {
      JsonObject keys = new JsonObject();
      keys.addProperty("cert", TestPki.get().good().chainPem().toString());
      keys.addProperty("key", TestPki.get().good().keyPem().toString());
      config.add("tls", keys);
    }
    peer = node.start("ws-peer.js", config);
    return WebSocket.connect(sockets, (tls ? "wss" : "ws") + "://127.0.0.1:" + peer.port() + "/chat?x=1");
  }

  private JsonObject peerEvent(String name) throws InterruptedException {
    return peer.awaitEvent(e -> e.get("event").getAsString().equals(name), WAIT);
  }

  @ParameterizedTest(name = "tls={0}")
  @ValueSource(booleans = {true, false})
  void textAndBinaryMessagesComeBackWhole(boolean tls) throws Exception {
    WebSocket ws = connect(tls);
    String text = "héllo ☃ " + "x".repeat(70_000);
    byte[] binary = new byte[200_000];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    ws.sendText(text);
    ws.sendBinary(binary);
    ws.sendText("");

    WebSocketMessage first = ws.receive();
    assertThat(first.isText()).isTrue();
    assertThat(first.text()).isEqualTo(text);
    WebSocketMessage second = ws.receive();
    assertThat(second.isText()).isFalse();
    assertThat(second.bytes()).isEqualTo(binary);
    assertThatThrownBy(second::text).isInstanceOf(IllegalStateException.class).hasMessageContaining("binary");
    assertThat(ws.receive().text()).isEmpty();
    assertThat(ws.socketName()).isEqualTo("127.0.0.1:" + peer.port() + "|ws");
    if (tls) {
      assertThat(sockets.tlsInfo(ws.socketName()).toString()).contains("verified");
    }
  }

  @Test
  void aMessageSentInThreeFramesIsReceivedAsOne() throws Exception {
    WebSocket ws = connect(false);
    ws.sendText("fragments");
    assertThat(ws.receive().text()).isEqualTo("abcdef");
  }

  @Test
  void theServersPingIsAnsweredWithAPongCarryingItsPayload() throws Exception {
    WebSocket ws = connect(true);
    List<String> wire = new CopyOnWriteArrayList<>();
    ws.setWireLog(wire::add);
    ws.sendText("ping are you there");
    ws.sendText("after");
    assertThat(ws.receive().text()).isEqualTo("after"); // the ping came first and was answered inline
    assertThat(peerEvent("pong").get("data").getAsString()).isEqualTo("are you there");
    assertThat(wire).contains("← ping 13 bytes", "→ pong 13 bytes");
  }

  @Test
  void closeByTheClientSendsItsStatusAndReasonAndClosesTheSocket() throws Exception {
    WebSocket ws = connect(false);
    ws.close(1000, "bye now");
    JsonObject seen = peerEvent("close");
    assertThat(seen.get("code").getAsInt()).isEqualTo(1000);
    assertThat(seen.get("reason").getAsString()).isEqualTo("bye now");
    assertThat(ws.isOpen()).isFalse();
    assertThat(sockets.openSockets()).isEmpty();
    assertThatThrownBy(ws::receive).isInstanceOf(WebSocketClosedException.class)
        .hasMessageContaining("status 1000 \"bye now\"");
  }

  @Test
  void closeByTheServerEndsReceiveWithItsStatusAndIsEchoed() throws Exception {
    WebSocket ws = connect(true);
    ws.sendText("close 4001 go away");
    assertThatThrownBy(ws::receive).isInstanceOfSatisfying(WebSocketClosedException.class, e -> {
      assertThat(e.code()).isEqualTo(4001);
      assertThat(e.reason()).isEqualTo("go away");
    });
    assertThat(peerEvent("close").get("code").getAsInt()).isEqualTo(4001);
    assertThat(sockets.openSockets()).isEmpty();
  }

  @Test
  void aFrameOverTheInboundLimitIsRefusedWith1009BeforeItsPayloadIsRead() throws Exception {
    sockets.setInboundLimit(4096);
    WebSocket ws = connect(false);
    ws.sendText("big 5000");
    assertThatThrownBy(ws::receive).isInstanceOfSatisfying(WebSocketProtocolException.class, e -> {
      assertThat(e).hasMessage("a binary frame of 5000 bytes is over the inbound limit of 4096 bytes");
      assertThat(e.closeCode()).isEqualTo(1009);
    });
    assertThat(peerEvent("close").get("code").getAsInt()).isEqualTo(1009);
    assertThat(sockets.openSockets()).isEmpty();
  }

  @Test
  void framesOfExactlyTheInboundLimitAreReceived() throws Exception {
    sockets.setInboundLimit(4096);
    WebSocket ws = connect(false);
    ws.sendText("big 4096");
    ws.sendText("big 4096");
    ws.sendText("after");
    assertThat(ws.receive().bytes()).hasSize(4096).containsOnly(7);
    assertThat(ws.receive().length()).isEqualTo(4096);
    assertThat(ws.receive().text()).isEqualTo("after");
  }

  @Test
  void theClientsPingIsAnsweredByTheServersPong() throws Exception {
    WebSocket ws = connect(true);
    List<String> wire = new CopyOnWriteArrayList<>();
    ws.setWireLog(wire::add);
    ws.ping("hi".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    ws.sendText("after");
    assertThat(ws.receive().text()).isEqualTo("after"); // the pong came before the echo
    assertThat(wire).containsSubsequence("→ ping 2 bytes", "← pong 2 bytes", "← text after");
    assertThatThrownBy(() -> ws.ping(new byte[126])).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a ping payload must be 0 to 125 bytes, was 126 bytes");
  }

  @Test
  void anIdleReceiveTimesOutAndLeavesTheWebSocketUsable() throws Exception {
    sockets.setSocketTimeoutInterval(Duration.ofMillis(300));
    WebSocket ws = connect(false);
    assertThatThrownBy(ws::receive).isInstanceOf(java.net.SocketTimeoutException.class)
        .hasMessageStartingWith("timeout: no data for 300 ms");
    assertThat(ws.isOpen()).isTrue();
    ws.sendText("still here");
    assertThat(ws.receive().text()).isEqualTo("still here");
  }

  @Test
  void aBadUrlIsRefusedBeforeAnyIo() {
    assertThatThrownBy(() -> WebSocket.connect(sockets, "http://127.0.0.1/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a valid WebSocket URL: \"http://127.0.0.1/\" (expected the scheme ws or wss, was \"http\")");
    assertThat(sockets.openSockets()).isEmpty();
  }
}
