package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sockscript.testing.OpensslClient;
import org.sockscript.testing.Registries;
import org.sockscript.testing.TestPki;
import org.sockscript.testing.TlsProviderRegistries;

/**
 * A TLS server that never writes (its handler only reads) still gives {@code openssl s_client}
 * session tickets, so the client's next connection resumes: BoringSSL holds TLS 1.3 tickets back
 * until the server's first write, and the library lets them go when the handshake ends.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SilentServerResumptionTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestPki pki = TestPki.get();
  @RegisterExtension final Registries registries = new Registries();
  private Path session;

  @BeforeEach
  void setUp() throws Exception {
    session = Files.createTempFile("sockscript-session", ".pem");
  }

  @AfterEach
  void tearDown() throws Exception {
    Files.deleteIfExists(session);
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
      "Conscrypt, listener, -tls1_3, TLSv1.3",
      "Conscrypt, secure, -tls1_3, TLSv1.3",
      "Conscrypt, listener, -tls1_2, TLSv1.2",
      "SunJSSE, listener, -tls1_3, TLSv1.3"})
  void aServerThatOnlyReadsIsResumed(String provider, String how, String flag, String protocol) throws Exception {
    SocketRegistry sockets = registries.add(TlsProviderRegistries.on(provider));
    sockets.setSslCertificates(List.of(pki.rootPem()));
    sockets.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
    RecordingListener events = reader(sockets, how.equals("secure"));
    String port = sockets.accept(0, events, how.equals("listener"));
    assertThat(connect(port, flag, "-sess_out", events, 1)).contains("New, " + protocol);
    assertThat(connect(port, flag, "-sess_in", events, 2)).contains("Reused, " + protocol);
    if (provider.equals("Conscrypt")) { // (the JDK's engine cannot tell: resumed() is false there)
      assertThat(events.awaitEvents("tls", 2, WAIT)).containsExactly("tls resumed=false", "tls resumed=true");
    }
  }

  /** Reads each client's lines and never writes; {@code upgrade}: secures each plaintext connection first (server side). */
  private static RecordingListener reader(SocketRegistry sockets, boolean upgrade) {
    return new RecordingListener() {
      @Override
      public void newConnection(String socket, String listenerName) {
        if (upgrade) {
          try {
            sockets.secure(socket);
          } catch (java.io.IOException e) {
            record("secure failed: " + e);
          }
        }
        sockets.read(socket, Chunk.until("\n"), readRecorder());
      }

      @Override
      public void secured(String socket, TlsInfo info) {
        record("tls resumed=" + info.resumed());
      }
    };
  }

  /** One s_client connection that sends a line, saving or offering the session; returns what it printed. */
  private String connect(String port, String flag, String sessionOption, RecordingListener events, int reads)
      throws Exception {
    try (OpensslClient client = OpensslClient.start("-connect", "127.0.0.1:" + port, flag,
        "-CAfile", pki.rootPem().toString(), "-servername", "localhost", sessionOption, session.toString())) {
      assertThat(client.awaitOutput("Verify return code", WAIT)).as(client.output()).isTrue();
      if (sessionOption.equals("-sess_out")) { // s_client saves the session as a ticket arrives (TLS 1.3):
        // before the client sends a byte, so the tickets went as the handshake ended, not with a later read
        assertThat(sessionSaved()).as("a session ticket reached s_client: %s", client.output()).isTrue();
      }
      client.send("ping\n");
      events.awaitEvents("read", reads, WAIT); // the server has read it, and written nothing
      client.send("Q\n"); // s_client: a line starting with Q ends the connection
      assertThat(client.exitCode(WAIT)).as(client.output()).isPresent();
      return client.output();
    }
  }

  /** Whether s_client has written the session file, waiting up to {@link #WAIT}. */
  private boolean sessionSaved() throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (Files.size(session) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return Files.size(session) > 0;
  }
}
