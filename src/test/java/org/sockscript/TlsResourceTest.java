package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.TestPki;

/**
 * Closed TLS sockets give back what they held: Conscrypt engines keep native state (and file
 * descriptors) until freed, so a registry that forgot to free them would leak with every socket.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsResourceTest {

  private static final int SOCKETS = 200;
  private final TestPki pki = TestPki.get();

  @Test
  void closingSecureSocketsReturnsTheirFileDescriptors() throws Exception {
    try (SocketRegistry server = new SocketRegistry(); SocketRegistry client = new SocketRegistry()) {
      server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
      client.setSslCertificates(List.of(pki.rootPem()));
      // The server reads what each client sends, as a real one would: a socket whose peer has
      // closed stays open while unread data waits for the script.
      String port = server.accept(0, new SocketListener() {
        @Override
        public void newConnection(String socket, String listener) {
          server.read(socket, Chunk.lines(1), (s, line) -> { });
        }
      }, true);
      warmUp(client, port);
      long baseline = openFileDescriptors();

      for (int i = 0; i < SOCKETS; i++) {
        String name = "localhost:" + port + "|" + i;
        client.openSecure(name, true, null);
        client.write(name, "ping\n");
      }
      long whileOpen = openFileDescriptors();
      for (int i = 0; i < SOCKETS; i++) {
        client.close("localhost:" + port + "|" + i);
      }
      long after = settle(baseline, server);

      System.out.printf("fds: baseline %d, with %d TLS sockets open %d, after closing %d%n",
          baseline, SOCKETS, whileOpen, after);
      assertThat(whileOpen - baseline).isGreaterThanOrEqualTo(SOCKETS * 2L); // both ends are here
      assertThat(after).isLessThanOrEqualTo(baseline + 4);
      assertThat(server.openSockets()).containsExactly(port);
    }
  }

  private static void warmUp(SocketRegistry client, String port) throws IOException {
    client.openSecure("localhost:" + port + "|warm-up", true, null);
    client.close("localhost:" + port + "|warm-up");
  }

  /** Waits (bounded) for the peers to see the closes and the fd count to come back down. */
  private static long settle(long baseline, SocketRegistry server) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long now = openFileDescriptors();
    while ((now > baseline + 4 || server.openSockets().size() > 1) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      now = openFileDescriptors();
    }
    return now;
  }

  private static long openFileDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
