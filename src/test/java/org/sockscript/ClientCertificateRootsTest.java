package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.OpensslClient;
import org.sockscript.testing.TestPki;

/**
 * Client certificates are checked against roots the user chose ({@code setSslCertificates}),
 * never the JDK's public ones (not even with extra roots added to them): a TLS server that
 * requires them without chosen roots is refused when the listener starts, when a server-side
 * {@code secure} begins, and — if the settings change later — for each connection. Each
 * connection reads the TLS settings once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientCertificateRootsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String NO_ROOTS = "client certificates are required"
      + " (setRequireClientCertificates(true)) but no roots are set to check them against: call"
      + " setSslCertificates(List.of(Path.of(\"client-ca.pem\"))) first (the JDK's default roots are"
      + " never used for client certificates)";
  private final TestPki pki = TestPki.get();

  @Test
  void secureListenerRequiringClientCertificatesWithoutChosenRootsIsRefused() throws Exception {
    try (SocketRegistry server = serverRequiringClientCertificates()) {
      assertThatThrownBy(() -> server.accept(0, new RecordingListener(), true))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("accept(0, listener, true): " + NO_ROOTS);
      assertThat(server.openSockets()).isEmpty();
    }
  }

  @Test
  void extraRootsBesideTheJdkOnesAreNotChosenRootsForClientCertificates() throws Exception {
    try (SocketRegistry server = serverRequiringClientCertificates()) {
      server.setExtraSslCertificates(List.of(pki.rootPem())); // the JDK's public roots, plus one
      assertThatThrownBy(() -> server.accept(0, new RecordingListener(), true))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("accept(0, listener, true): " + NO_ROOTS);
      assertThat(server.openSockets()).isEmpty();
    }
  }

  @Test
  void serverSideSecureRequiringClientCertificatesWithoutChosenRootsIsRefused() throws Exception {
    try (SocketRegistry server = serverRequiringClientCertificates(); SocketRegistry client = new SocketRegistry()) {
      RecordingListener events = new RecordingListener();
      String name = "localhost:" + server.accept(0, events);
      client.open(name);
      String accepted = events.awaitEvent("newConnection", WAIT).split(" ")[1];
      assertThatThrownBy(() -> server.secure(accepted))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(NO_ROOTS);
      client.write(name, "still plaintext\n"); // refused before anything changed
      assertThat(server.read(accepted, Chunk.lines(1))).isEqualTo("still plaintext\n");
    }
  }

  @Test
  void requirementSetAfterTheListenerStartedRefusesItsNextConnection() throws Exception {
    try (SocketRegistry server = new SocketRegistry()) {
      server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
      RecordingListener events = new RecordingListener();
      String port = server.accept(0, events, true);
      server.setRequireClientCertificates(true); // no roots chosen
      try (OpensslClient client = OpensslClient.start("-connect", "127.0.0.1:" + port, "-CAfile",
          pki.rootPem().toString(), "-cert", pki.client().chainPem().toString(), "-key",
          pki.client().keyPem().toString(), "-servername", "localhost")) {
        String error = events.awaitEvent("socketError", WAIT);
        assertThat(error).matches("socketError (127\\.0\\.0\\.1:\\d+): " + java.util.regex.Pattern.quote(NO_ROOTS)
            + " \\(\\1\\)");
        assertThat(client.exitCode(WAIT)).as(client.output()).isPresent();
        assertThat(events.events()).containsExactly(error);
      }
    }
  }

  /**
   * The requirement flips while connections are accepted; the client's certificate is one the
   * server never trusts, so a connection that completes was not asked for one — and must say so:
   * unverified, no client certificate. An engine made from one reading and a TlsInfo from
   * another (or a context of the other setting) would break that.
   */
  @Test
  void eachConnectionReadsTheSettingsOnce() throws Exception {
    try (SocketRegistry server = new SocketRegistry(); SocketRegistry client = new SocketRegistry()) {
      server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
      server.setSslCertificates(List.of(pki.otherRootPem())); // the client's chain does not lead here
      client.setSslCertificates(List.of(pki.rootPem()));
      client.setClientIdentity(pki.client().chainPem(), pki.client().keyPem());
      List<TlsInfo> secured = new CopyOnWriteArrayList<>();
      String port = server.accept(0, new RecordingListener() {
        @Override
        public void secured(String socket, TlsInfo info) {
          secured.add(info);
        }
      }, true);
      AtomicBoolean stop = new AtomicBoolean();
      Thread flipper = new Thread(() -> {
        for (boolean required = true; !stop.get(); required = !required) {
          server.setRequireClientCertificates(required);
          Thread.yield();
        }
      });
      flipper.start();
      try {
        for (int i = 0; i < 150; i++) {
          try {
            client.openSecure("localhost:" + port + "|" + i, true, null);
            client.close("localhost:" + port + "|" + i);
          } catch (IOException refusedByTheServer) {
            // asked for a certificate it does not trust: refused, as it should be
          }
        }
      } finally {
        stop.set(true);
        flipper.join();
      }
      Thread.sleep(200); // the last secured events
      assertThat(secured).isNotEmpty().allSatisfy(info -> {
        assertThat(info.verified()).as(info.toString()).isFalse();
        assertThat(info.peerCertificates()).as(info.toString()).isEmpty();
      });
    }
  }

  private SocketRegistry serverRequiringClientCertificates() throws Exception {
    SocketRegistry server = new SocketRegistry();
    server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
    server.setRequireClientCertificates(true);
    return server;
  }
}
