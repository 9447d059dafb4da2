package org.sockscript.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.RecordingListener;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.TestIdentity;
import org.sockscript.testing.TestPki;

/**
 * Rule 3 holds at the end of data too: an attacker sends {@code STARTTLS\r\nMAIL
 * FROM:<injected@evil>} (no final CRLF) and shuts its sending side, so the second callback read
 * is answered "at eof" with the injected partial line. That answer is taken back by
 * {@code secure} like any other, and the upgrade of a socket whose peer has ended its data fails
 * at once: the injected line never reaches the script.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EofCallbackPlaintextAfterSecureTest {

  @Test
  void plaintextCompletedAtEofIsNotDeliveredAfterSecureReturned() throws Exception {
    try (SocketRegistry sockets = new SocketRegistry()) {
      TestIdentity identity = TestPki.get().good();
      sockets.setServerIdentity(identity.chainPem(), identity.keyPem());
      RecordingListener events = new RecordingListener() {
        @Override
        public void newConnection(String socket, String listener) {
          super.newConnection(socket, listener);
          try {
            Thread.sleep(300); // the attacker's bytes and FIN have landed
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          sockets.read(socket, Chunk.until("\r\n"), (s, line) -> {
            record("read " + s + ": " + line.strip());
            sockets.write(s, "220 go ahead\r\n", null);
            try {
              sockets.secure(s);
              record("secure returned " + s);
            } catch (Exception e) {
              record("secure failed " + e);
            }
          });
          sockets.read(socket, Chunk.until("\r\n"), (s, data) -> record("read " + s + ": " + data.strip()));
        }
      };
      String port = sockets.accept(0, events);
      try (Socket attacker = new Socket("127.0.0.1", Integer.parseInt(port))) {
        OutputStream out = attacker.getOutputStream();
        out.write("STARTTLS\r\nMAIL FROM:<injected@evil>".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        attacker.shutdownOutput();
        events.awaitEvent("secure ", Duration.ofSeconds(10));
        Thread.sleep(500);
        List<String> all = events.events();
        int secureAt = indexOf(all, "secure ");
        assertThat(all.subList(secureAt, all.size()))
            .as("events after secure returned: %s", all)
            .noneMatch(e -> e.startsWith("read ") && e.contains("injected"));
      }
    }
  }

  private static int indexOf(List<String> events, String prefix) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }
}
