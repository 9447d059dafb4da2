package org.sockscript.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.RecordingListener;
import org.sockscript.SocketRegistry;

/**
 * A half-closed socket's idle time runs only once the listener has had its data and its
 * socketClosed: a client that sends its request and shuts its sending side (nc -N) is answered
 * even when its handler runs late because the listener's turn is taken by another socket for
 * longer than the interval.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HalfClosedIdleBeforeHandedTest {

  @Test
  void aHalfClosedClientIsAnsweredEvenIfItsHandlerRunsLate() throws Exception {
    try (SocketRegistry sockets = new SocketRegistry()) {
      sockets.setSocketTimeoutInterval(Duration.ofSeconds(1));
      RecordingListener events = new RecordingListener() {
        @Override
        public void newConnection(String socket, String listener) {
          super.newConnection(socket, listener);
          sockets.read(socket, Chunk.until("\n"), (s, line) -> {
            record("read " + s + ": " + line.strip());
            if (line.startsWith("slow")) {
              try {
                Thread.sleep(1500); // this handler computes; the other socket's request waits its turn
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            try {
              sockets.write(s, "ok\n", null);
            } catch (RuntimeException e) {
              record("write failed " + s + ": " + e.getMessage());
            }
          });
        }
      };
      int port = Integer.parseInt(sockets.accept(0, events));
      try (Socket slow = new Socket("127.0.0.1", port); Socket halfClosed = new Socket("127.0.0.1", port)) {
        slow.getOutputStream().write("slow\n".getBytes(StandardCharsets.US_ASCII));
        events.awaitEvent("read ", Duration.ofSeconds(5));
        OutputStream out = halfClosed.getOutputStream();
        out.write("fast\n".getBytes(StandardCharsets.US_ASCII));
        halfClosed.shutdownOutput(); // nc -N: request sent, our side done
        halfClosed.setSoTimeout(5000);
        InputStream in = halfClosed.getInputStream();
        String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(answer).as("events: %s", events.events()).isEqualTo("ok\n");
      }
    }
  }
}
