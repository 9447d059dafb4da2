package org.sockscript.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.RecordingListener;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.PythonPeer;
import org.sockscript.testing.TestIdentity;
import org.sockscript.testing.TestPki;

/**
 * A server queues two callback reads; the first answers STARTTLS and calls {@code secure}. What
 * the second had already matched in plaintext, but not yet handed to the script, is TLS input
 * (DESIGN §4 rule 3): injected plaintext fails the handshake and never reaches the script, and a
 * ClientHello pipelined behind STARTTLS (by Python's ssl) completes it, the second read then
 * getting decrypted data.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipelinedReadsAtSecureTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void plaintextMatchedByASecondCallbackReadBeforeSecureIsNeverDelivered() throws Exception {
    try (SocketRegistry sockets = server()) {
      RecordingListener events = new StarttlsServer(sockets, Chunk.until("\r\n"));
      String port = sockets.accept(0, events);
      try (PythonPeer attacker = PythonPeer.client("pipelined-starttls", port, "inject", "localhost", ca())) {
        String error = events.awaitEvent("socketError", WAIT);
        assertThat(attacker.awaitOutput("saw b'220 go ahead\\r\\n'", WAIT)).as(attacker.output()).isTrue();
        assertThat(error).contains("TLS"); // the injected line failed the handshake
        Thread.sleep(200); // a late delivery would show now
        assertThat(events.events()).filteredOn(e -> e.startsWith("read "))
            .singleElement().asString().endsWith(": STARTTLS\\r\\n");
        assertThat(events.events()).noneMatch(e -> e.contains("injected") && !e.startsWith("socketError"))
            .noneMatch(e -> e.startsWith("secured"));
      }
    }
  }

  @Test
  void clientHelloMatchedByASecondCallbackReadBeforeSecureGoesToTlsAndTheReadGetsDecryptedData() throws Exception {
    try (SocketRegistry sockets = server()) {
      RecordingListener events = new StarttlsServer(sockets, Chunk.bytes(5));
      String port = sockets.accept(0, events);
      try (PythonPeer client = PythonPeer.client("pipelined-starttls", port, "hello", "localhost", ca())) {
        assertThat(client.awaitOutput("saw handshake TLSv1.3", WAIT)).as(client.output()).isTrue();
        String read = events.awaitEvents("read ", 2, WAIT).get(1);
        assertThat(read).endsWith(": HELLO");
        assertThat(events.events()).anyMatch(e -> e.startsWith("secured "));
        assertThat(events.events()).noneMatch(e -> e.startsWith("socketError"));
      }
    }
  }

  private static SocketRegistry server() throws Exception {
    SocketRegistry sockets = new SocketRegistry();
    TestIdentity identity = TestPki.get().good();
    sockets.setServerIdentity(identity.chainPem(), identity.keyPem());
    return sockets;
  }

  private static String ca() {
    return TestPki.get().rootPem().toString();
  }

  /** Queues {@code until "\r\n"} and then {@code second}; the first answers STARTTLS and secures. */
  private static final class StarttlsServer extends RecordingListener {
    private final SocketRegistry sockets;
    private final Chunk second;

    StarttlsServer(SocketRegistry sockets, Chunk second) {
      this.sockets = sockets;
      this.second = second;
    }

    @Override
    public void newConnection(String socket, String listener) {
      super.newConnection(socket, listener);
      sockets.read(socket, Chunk.until("\r\n"), (s, line) -> {
        record("read " + s + ": " + line.replace("\r\n", "\\r\\n"));
        sockets.write(s, "220 go ahead\r\n", null);
        try {
          sockets.secure(s);
        } catch (Exception e) {
          record("secure failed " + e);
        }
      });
      sockets.read(socket, second, (s, data) -> record("read " + s + ": " + data.strip()));
    }
  }
}
