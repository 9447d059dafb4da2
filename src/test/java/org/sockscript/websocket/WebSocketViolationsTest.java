package org.sockscript.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sockscript.testing.NodePeer;
import org.sockscript.testing.NodeSockets;

/**
 * A server that breaks RFC 6455 on purpose ({@code ws-peer.js} in raw mode): every violation is a
 * {@link WebSocketProtocolException} saying what was expected and what came, the matching close
 * code reaches the server where a frame was involved, and nothing stays open.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketViolationsTest {

  @RegisterExtension
  final NodeSockets node = new NodeSockets();
  private NodePeer peer;

  private String start(String answer, String frameHex) throws Exception {
    JsonObject config = new JsonObject();
    config.addProperty("mode", "raw");
    config.addProperty("answer", answer);
    config.addProperty("frameHex", frameHex);
    peer = node.start("ws-peer.js", config);
    return "ws://127.0.0.1:" + peer.port() + "/";
  }

  /** The status code of the (masked) close frame the client sent, as the server saw it. */
  private int closeCodeSeenByServer() throws InterruptedException {
    JsonObject event = peer.awaitEvent(e -> e.get("event").getAsString().equals("client"), Duration.ofSeconds(10));
    assertThat(event).as("the client sent a close frame: %s", peer.output()).isNotNull();
    byte[] frame = HexFormat.of().parseHex(event.get("hex").getAsString());
    assertThat(frame[0] & 0xFF).as("FIN + close opcode").isEqualTo(0x88);
    assertThat(frame[1] & 0x80).as("masked").isEqualTo(0x80);
    return ((frame[6] ^ frame[2]) & 0xFF) << 8 | ((frame[7] ^ frame[3]) & 0xFF);
  }

  @Test
  void aWrongAcceptKeyFailsTheHandshakeShowingBothKeys() throws Exception {
    String url = start("bad-accept", "");
    assertThatThrownBy(() -> WebSocket.connect(node.sockets(), url)).isInstanceOf(WebSocketProtocolException.class)
        .hasMessageStartingWith("bad Sec-WebSocket-Accept from " + url + ": expected ")
        .hasMessageEndingWith(", was \"dGhlIHNhbXBsZSBub25jZQ==\"");
    assertThat(node.sockets().openSockets()).isEmpty();
  }

  @Test
  void anAnswerOtherThan101FailsWithTheStatusLine() throws Exception {
    String url = start("status-404", "");
    assertThatThrownBy(() -> WebSocket.connect(node.sockets(), url)).isInstanceOf(WebSocketProtocolException.class)
        .hasMessage("the server answered \"HTTP/1.1 404 Not Found\" to the WebSocket upgrade of " + url
            + " (expected \"HTTP/1.1 101 Switching Protocols\")");
    assertThat(node.sockets().openSockets()).isEmpty();
  }

  /** A frame (hex) a server must not send, and what the client says of it: the message, then the close code. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      masked frame          | 818100000000 61      | the server sent a masked text frame (a server must not mask its frames: RFC 6455 5.1) | 1002
      reserved bits         | c10161               | reserved bits set in a text frame header (byte 0xC1; expected 0 without an extension) | 1002
      unknown opcode        | 8300                 | unknown opcode 0x3 (expected 0x0-0x2 or 0x8-0xA) | 1002
      huge declared length  | 827f0000010000000000 | a binary frame of 1099511627776 bytes is over the inbound limit of 16777216 bytes | 1009
      text not UTF-8        | 8102c328             | a text message of 2 bytes that is not valid UTF-8 | 1007
      stray continuation    | 800161               | a continuation frame with no message to continue | 1002
      fragmented ping       | 0900                 | a ping frame fragmented (control frames must be whole and at most 125 bytes) | 1002
      close of 1 byte       | 880103               | a close frame of 1 byte (expected none, or a 2-byte status code first) | 1002
      close with status 1005| 880203ed             | a close frame with status 1005 (expected 1000-1003, 1007-1014 or 3000-4999) | 1002
      """)
  void aForbiddenFrameIsAProtocolErrorAnsweredWithItsCloseCode(String what, String frameHex, String message,
      int closeCode) throws Exception {
    WebSocket ws = WebSocket.connect(node.sockets(), start("ok", frameHex.replace(" ", "")));
    assertThatThrownBy(ws::receive).as(what).isInstanceOfSatisfying(WebSocketProtocolException.class, e -> {
      assertThat(e).hasMessage(message);
      assertThat(e.closeCode()).isEqualTo(closeCode);
    });
    assertThat(closeCodeSeenByServer()).isEqualTo(closeCode);
    assertThat(node.sockets().openSockets()).isEmpty();
    assertThatThrownBy(ws::receive).as("the failure stays").isInstanceOf(WebSocketProtocolException.class)
        .hasMessage(message);
  }
}
