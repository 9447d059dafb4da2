package org.sockscript.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.RecordingListener;
import org.sockscript.SocketEofException;
import org.sockscript.SocketListener;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.CapturedProcess;
import org.sockscript.testing.LeakCheck;
import org.sockscript.testing.Loopback;
import org.sockscript.testing.PythonPeer;
import org.sockscript.testing.Socat;

/**
 * A peer's FIN ends its data, not the conversation: a server answers a socat client that shut
 * down its sending side when its input ended, and a client answers a server (Python's socket)
 * that did the same. An idle half-closed socket closes by itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HalfCloseTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  @Test
  void serverAnswersAClientThatShutItsSendingSide() throws Exception {
    try (SocketRegistry sockets = new SocketRegistry()) {
      RecordingListener events = new RecordingListener() {
        @Override
        public void newConnection(String socket, String listener) {
          super.newConnection(socket, listener);
          try { // script style: the whole request, up to the client's FIN, then the answer
            String request = sockets.read(socket, Chunk.untilEnd());
            sockets.write(socket, "REPLY to " + request);
            sockets.close(socket);
          } catch (IOException e) {
            record("failed " + e.getMessage());
          }
        }
      };
      String port = sockets.accept(0, events);
      try (CapturedProcess client = CapturedProcess.start(List.of(Socat.executable(), "-t", "10",
          "STDIO", "TCP:" + Loopback.HOST + ":" + port))) {
        client.send("REQUEST\n");
        client.closeStdin(); // socat shuts down its sending side, then waits for the answer
        assertThat(client.awaitOutput("REPLY to REQUEST\n", WAIT)).as(client.output() + events.events()).isTrue();
      }
      assertThat(events.events()).noneMatch(e -> e.startsWith("failed") || e.startsWith("socketError"));
    }
  }

  @Test
  void clientAnswersAServerThatShutItsSendingSideAndSocketClosedComesOnce() throws Exception {
    try (PythonPeer server = PythonPeer.server("greet-then-shut"); SocketRegistry sockets = new SocketRegistry()) {
      RecordingListener events = new RecordingListener();
      String name = Loopback.HOST + ":" + server.port();
      sockets.open(name, events);
      assertThat(sockets.read(name, Chunk.until("\r\n"))).isEqualTo("QUESTION\r\n");
      assertThatThrownBy(() -> sockets.read(name, Chunk.until("\r\n"))).isInstanceOf(SocketEofException.class);
      events.awaitEvent("socketClosed " + name, WAIT);

      sockets.write(name, "ANSWER 1\r\n");
      sockets.write(name, "ANSWER 2\r\n", null);
      assertThat(server.awaitOutput("ANSWER 2|", WAIT)).as(server.output()).isTrue();
      assertThat(server.output()).contains("ANSWER 1|").doesNotContain("saw eof");
      assertThat(sockets.openSockets()).contains(name); // still open: the script may write on
      assertThat(sockets.readBytes(name, new byte[8], 0, 8)).isEqualTo(-1);
      sockets.close(name);
      assertThat(events.events()).containsExactly("connected " + name, "socketClosed " + name);
    }
  }

  @Test
  void halfClosedSocketIdleForTheTimeoutClosesByItselfWithoutLeaking() throws Exception {
    try (PythonPeer server = PythonPeer.server("greet-then-shut", "2"); SocketRegistry sockets = new SocketRegistry()) {
      sockets.setSocketTimeoutInterval(Duration.ofMillis(500));
      String name = Loopback.HOST + ":" + server.port();
      sockets.open(name, new SocketListener() { });
      sockets.write(name, "warm-up\r\n"); // a first socket's one-off descriptors are opened
      LeakCheck.Counts before = LeakCheck.snapshot();
      String second = name + "|second";
      sockets.open(second, new SocketListener() { });
      assertThat(sockets.read(second, Chunk.untilEnd())).isEqualTo("QUESTION\r\n");
      long ended = System.nanoTime();
      while (sockets.openSockets().contains(second) && System.nanoTime() - ended < WAIT.toNanos()) {
        Thread.sleep(20);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - ended)).isBetween(Duration.ofMillis(400), Duration.ofSeconds(3));
      assertThatThrownBy(() -> sockets.write(second, "too late\r\n"))
          .isInstanceOf(IOException.class)
          .hasMessage("socket is not open: \"" + second + "\" was closed by the peer");
      LeakCheck.Counts after = LeakCheck.awaitBackTo(before, Duration.ofSeconds(5));
      assertThat(after.fds()).as(after.newSince(before)).isLessThanOrEqualTo(before.fds());
      sockets.close(second);
    }
  }


}
