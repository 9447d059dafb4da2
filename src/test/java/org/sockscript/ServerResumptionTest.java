package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

/** A secure listener resumes {@code openssl s_client}'s saved session, unless resumption is off. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerResumptionTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestPki pki = TestPki.get();
  @RegisterExtension final Registries registries = new Registries();
  private final SocketRegistry sockets = registries.serving();
  private Path session;

  @BeforeEach
  void setUp() throws Exception {
    session = Files.createTempFile("sockscript-session", ".pem");
  }

  @AfterEach
  void tearDown() throws Exception {
    Files.deleteIfExists(session);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"-tls1_2, TLSv1.2", "-tls1_3, TLSv1.3"})
  void aSecureListenerResumesOpensslClientsSession(String flag, String protocol) throws Exception {
    RecordingListener events = greeter();
    String port = sockets.accept(0, events, true);
    assertThat(connect(port, flag, "-sess_out")).contains("New, " + protocol);
    assertThat(connect(port, flag, "-sess_in")).contains("Reused, " + protocol);
    assertThat(events.awaitEvents("tls", 2, WAIT)).containsExactly("tls resumed=false", "tls resumed=true");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"-tls1_2, TLSv1.2", "-tls1_3, TLSv1.3"})
  void withResumptionOffEveryHandshakeIsNew(String flag, String protocol) throws Exception {
    sockets.setTlsOptions(sockets.tlsOptions().toBuilder().sessionResumption(false).build());
    String port = sockets.accept(0, greeter(), true);
    String first = connect(port, flag, "-sess_out");
    if (protocol.equals("TLSv1.3")) { // TLS 1.3 resumes only with a ticket: none is sent
      assertThat(first).contains("New, TLSv1.3").doesNotContain("New Session Ticket arrived");
    } else { // TLS 1.2 offers the session ID: the server no longer knows it
      assertThat(connect(port, flag, "-sess_in")).contains("New, " + protocol).doesNotContain("Reused,");
    }
  }

  /** Greets each client, as SMTP and FTP servers do (a server that never writes: {@link SilentServerResumptionTest}). */
  private RecordingListener greeter() {
    return new RecordingListener() {
      @Override
      public void newConnection(String socket, String listenerName) {
        sockets.write(socket, "hello\n", null);
      }

      @Override
      public void secured(String socket, TlsInfo info) {
        record("tls resumed=" + info.resumed()); // the server's side of it
      }
    };
  }

  /** One s_client connection saving or offering the session; returns what it printed. */
  private String connect(String port, String flag, String sessionOption) throws Exception {
    try (OpensslClient client = OpensslClient.start("-connect", "127.0.0.1:" + port, flag,
        "-CAfile", pki.rootPem().toString(), "-servername", "localhost", sessionOption, session.toString())) {
      assertThat(client.awaitOutput("hello", WAIT)).as(client.output()).isTrue();
      client.send("Q\n"); // s_client: a line starting with Q ends the connection
      assertThat(client.exitCode(WAIT)).as(client.output()).isPresent();
      return client.output();
    }
  }
}
