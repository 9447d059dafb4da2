package org.sockscript.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sockscript.testing.NodePeer;
import org.sockscript.testing.NodeSockets;

/**
 * A connected push session that ends without the client asking: the server process dies, sends
 * a Socket.IO disconnect, or stops answering (SIGSTOP) so that its pings stop. Each is one clear
 * {@code onDisconnect}, and nothing stays open.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PushSessionEndTest {

  private final PushIdentity me = PushIdentity.generate();
  @RegisterExtension
  final NodeSockets node = new NodeSockets();

  @Test
  void theServerGoingAwayMidSessionIsOneClearDisconnect() throws Exception {
    try (NodePeer server = node.start("server.js", new PushServerConfig().registered(me.username("d")).json())) {
      PushClient push = new PushClient(node.sockets(), "http://127.0.0.1:" + server.port(), me, "d");
      CompletableFuture<IOException> ended = new CompletableFuture<>();
      push.onDisconnect(ended::complete);
      assertThat(push.connect().authorized()).isTrue();

      server.signal("KILL");
      IOException why = ended.get(10, TimeUnit.SECONDS);
      assertThat(why.getMessage()).as("%s", why)
          .matches("(?s).*(the server closed the connection without a close frame|Connection reset).*");
      assertThat(why.getMessage()).contains("127.0.0.1:" + server.port());
      assertThat(node.sockets().openSockets()).isEmpty();
      assertThatThrownBy(push::socketName).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is not connected: its session ended (");
    }
  }

  @Test
  void theServersDisconnectRightAfterAuthorizedIsAlwaysOneClearDisconnectAndConnectWorksAgain() throws Exception {
    PushServerConfig config = new PushServerConfig().registered(me.username("d")).disconnectAfterAuthorized();
    try (NodePeer server = node.start("server.js", config.json())) {
      PushClient push = new PushClient(node.sockets(), "http://127.0.0.1:" + server.port(), me, "d");
      String said = "the server disconnected the Socket.IO session of ws://127.0.0.1:" + server.port()
          + "/socket.io/?EIO=4&transport=websocket";
      // 20 rounds: the disconnect races connect()'s return (it was lost now and then). Nothing
      // reconnects by itself: connect() again does.
      for (int round = 1; round <= 20; round++) {
        CompletableFuture<IOException> ended = new CompletableFuture<>();
        push.onDisconnect(ended::complete);
        assertThat(push.connect().authorized()).as("round %d", round).isTrue();
        assertThat(ended.get(10, TimeUnit.SECONDS)).as("round %d", round).hasMessage(said);
      }
      assertThat(server.events().stream().filter(e -> e.get("event").getAsString().equals("authentication")))
          .hasSize(20);
      assertThat(node.sockets().openSockets()).isEmpty();
    }
  }

  @Test
  void aDisconnectHandlerSetAfterConnectHearsTheEnd() throws Exception {
    try (NodePeer server = node.start("server.js", new PushServerConfig().registered(me.username("d")).json())) {
      PushClient push = new PushClient(node.sockets(), "http://127.0.0.1:" + server.port(), me, "d");
      assertThat(push.connect().authorized()).isTrue();
      CompletableFuture<IOException> ended = new CompletableFuture<>();
      push.onDisconnect(ended::complete); // set while connected, as onMessage may be

      server.signal("KILL");
      assertThat(ended.get(10, TimeUnit.SECONDS).getMessage()).contains("127.0.0.1:" + server.port());
    }
  }

  @Test
  void aServerWhosePingsStopIsAPingTimeout() throws Exception {
    PushServerConfig config = new PushServerConfig().registered(me.username("d")).pings(200, 200);
    try (NodePeer server = node.start("server.js", config.json())) {
      PushClient push = new PushClient(node.sockets(), "http://127.0.0.1:" + server.port(), me, "d");
      CompletableFuture<IOException> ended = new CompletableFuture<>();
      push.onDisconnect(ended::complete);
      assertThat(push.connect().authorized()).isTrue();
      Thread.sleep(600); // pings come and are answered: the session lives past pingInterval + pingTimeout
      assertThat(ended).isNotDone();

      long stopped = System.nanoTime();
      server.signal("STOP");
      try {
        IOException why = ended.get(10, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - stopped) / 1_000_000;
        assertThat(why).isInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(why.getMessage()).startsWith("ping timeout: no Engine.IO ping from ws://127.0.0.1:" + server.port())
            .contains("(expected one every pingInterval 200 ms, within pingTimeout 200 ms)");
        assertThat(millis).as("detected after pingInterval + pingTimeout, not the 10 s socket timeout")
            .isBetween(200L, 3000L);
        assertThat(node.sockets().openSockets()).isEmpty();
      } finally {
        server.signal("CONT");
      }
    }
  }
}
