package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sockscript.testing.OpensslClient;
import org.sockscript.testing.OpensslServer;
import org.sockscript.testing.TestPki;

/** sockscript against OpenSSL, a TLS implementation it shares no code with. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpensslPeersTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestPki pki = TestPki.get();
  private SocketRegistry sockets;

  @BeforeEach
  void setUp() throws Exception {
    sockets = new SocketRegistry();
    sockets.setSslCertificates(List.of(pki.rootPem()));
  }

  @AfterEach
  void tearDown() {
    sockets.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"-tls1_2, TLSv1.2", "-tls1_3, TLSv1.3"})
  void openSecureTalksToOpensslServer(String flag, String protocol) throws Exception {
    try (OpensslServer server = OpensslServer.start(pki.good().chainPem(), pki.good().keyPem(), flag, "-rev")) {
      String name = "localhost:" + server.port();
      sockets.openSecure(name, true, null);
      sockets.write(name, "stressed\n");
      assertThat(sockets.read(name, Chunk.lines(1))).isEqualTo("desserts\n");
      TlsInfo info = sockets.tlsInfo(name);
      assertThat(info.protocol()).isEqualTo(protocol);
      assertThat(info.verified()).isTrue();
    }
  }

  @Test
  void opensslServerWithTheWrongNameIsRejected() throws Exception {
    try (OpensslServer server = OpensslServer.start(pki.wrongHost().chainPem(), pki.wrongHost().keyPem(), "-rev")) {
      assertThatThrownBy(() -> sockets.openSecure("localhost:" + server.port(), true, null))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageStartingWith("hostname mismatch: expected localhost, certificate names [other.test.example]");
    }
  }

  /** Only TLS 1.2 and 1.3 are enabled (DESIGN §4.8): OpenSSL answers our ClientHello with protocol_version. */
  @Test
  void opensslServerOfferingOnlyTls11IsRefused() throws Exception {
    try (OpensslServer server = OpensslServer.start(pki.good().chainPem(), pki.good().keyPem(),
        "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0", "-rev")) {
      String name = "localhost:" + server.port();
      assertThatThrownBy(() -> sockets.openSecure(name, true, null))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessage("the peer rejected the TLS handshake: it sent alert protocol_version"
              + " (no TLS version in common: only TLS 1.2 and 1.3 are enabled here) (" + name + ")");
      assertThat(sockets.openSockets()).doesNotContain(name);
    }
  }

  /** A secure listener serves TLS 1.2 as well as 1.3 (Conscrypt needs a TLS 1.2 suite left enabled). */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"-tls1_2, TLSv1.2", "-tls1_3, TLSv1.3"})
  void opensslClientConnectsToASecureListener(String flag, String protocol) throws Exception {
    sockets.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
    RecordingListener events = new RecordingListener() {
      @Override
      public void newConnection(String socket, String listenerName) {
        super.newConnection(socket, listenerName);
        sockets.read(socket, Chunk.lines(1), (s, line) -> sockets.write(s, "echo " + line, null));
      }
    };
    String port = sockets.accept(0, events, true);
    try (OpensslClient client = OpensslClient.start("-connect", "127.0.0.1:" + port, flag,
        "-CAfile", pki.rootPem().toString(), "-verify_return_error", "-servername", "localhost",
        "-verify_hostname", "localhost", "-ign_eof")) {
      assertThat(client.awaitOutput("Verification: OK", WAIT)).as(client.output()).isTrue();
      client.send("hi\n");
      assertThat(client.awaitOutput("echo hi", WAIT)).as(client.output()).isTrue();
      assertThat(client.output()).contains("New, " + protocol + ", Cipher is");
      String accepted = events.awaitEvent("newConnection", WAIT).split(" ")[1];
      assertThat(sockets.tlsInfo(accepted).protocol()).isEqualTo(protocol);
    }
  }

  /** openssl s_client -starttls smtp against a sockscript server doing server-side STARTTLS. */
  @Test
  void opensslStarttlsSmtpClientUpgradesAgainstASockscriptServer() throws Exception {
    sockets.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
    RecordingListener events = new RecordingListener() {
      @Override
      public void newConnection(String socket, String listenerName) {
        super.newConnection(socket, listenerName);
        try {
          smtpServer(socket);
          record("quit");
        } catch (Exception e) {
          record("script failed: " + e);
        }
      }
    };
    String port = sockets.accept(0, events);
    try (OpensslClient client = OpensslClient.start("-connect", "127.0.0.1:" + port,
        "-starttls", "smtp", "-CAfile", pki.rootPem().toString(), "-verify_return_error",
        "-servername", "localhost", "-verify_hostname", "localhost", "-ign_eof")) {
      assertThat(client.awaitOutput("Verification: OK", WAIT)).as(client.output()).isTrue();
      client.send("EHLO secure.client\r\n");
      assertThat(client.awaitOutput("250 secure hello secure.client", WAIT)).as(client.output()).isTrue();
      assertThat(client.output()).contains("Verification: OK", "TLSv1.3");
      client.send("QUIT\r\n");
      assertThat(events.awaitEvent("quit", WAIT)).isEqualTo("quit");
      assertThat(client.awaitOutput("221 bye", WAIT)).as(client.output()).isTrue();
    }
    assertThat(events.events()).noneMatch(e -> e.startsWith("script failed") || e.startsWith("socketError"));
  }

  /** The server half of an SMTP STARTTLS dialogue, script style. */
  private void smtpServer(String s) throws Exception {
    sockets.write(s, "220 sockscript ESMTP\r\n");
    assertThat(sockets.read(s, Chunk.until("\r\n"))).startsWith("EHLO ");
    sockets.write(s, "250-sockscript\r\n250 STARTTLS\r\n");
    assertThat(sockets.read(s, Chunk.until("\r\n"))).isEqualTo("STARTTLS\r\n");
    sockets.write(s, "220 2.0.0 Ready to start TLS\r\n", null);
    sockets.secure(s);
    String hello = sockets.read(s, Chunk.until("\r\n"));
    sockets.write(s, "250 secure hello " + hello.substring(5));
    assertThat(sockets.read(s, Chunk.until("\r\n"))).isEqualTo("QUIT\r\n");
    sockets.write(s, "221 bye\r\n");
    sockets.close(s);
  }
}
