package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sockscript.testing.Loopback;
import org.sockscript.testing.OpensslServer;
import org.sockscript.testing.TestPki;

/**
 * {@code verificationHost} as a script may write it: an absolute name with a trailing dot names
 * the same host (SNI carries it without the dot, as openssl s_server's dump shows); an empty or blank
 * one is refused, naming {@code verificationHost}, before any I/O, by {@code secure} and by
 * {@code openSecure}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VerificationHostInputTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestPki pki = TestPki.get();
  private final SocketRegistry client = new SocketRegistry();

  @AfterEach
  void closeClient() {
    client.close();
  }

  @Test
  void trailingDotIsAcceptedAndSentAsSniWithoutTheDot() throws Exception {
    client.setSslCertificates(List.of(pki.rootPem()));
    try (OpensslServer server = OpensslServer.start(pki.good().chainPem(), pki.good().keyPem(),
        "-tlsextdebug", "-rev")) {
      String name = "127.0.0.1:" + server.port();
      client.openSecure(name, true, "mail.test.example.");
      // s_server dumps the server_name extension: 17 name bytes, "mail.test.example", no dot
      assertThat(server.awaitOutput("TLS client extension \"server name\" (id=0), len=22\n"
          + "0000 - 00 14 00 00 11 6d 61 69-6c 2e 74 65 73 74 2e 65   .....mail.test.e\n"
          + "0010 - 78 61 6d 70 6c 65 ", WAIT)).as(server.output()).isTrue();
      assertThat(client.tlsInfo(name).verified()).isTrue();
      assertThat(client.tlsInfo(name).verifiedHost()).isEqualTo("mail.test.example.");
      client.write(name, "stressed\n");
      assertThat(client.read(name, Chunk.lines(1))).isEqualTo("desserts\n");
    }
  }

  @Test
  void trailingDotNameIsStillCheckedAgainstTheCertificate() throws Exception {
    client.setSslCertificates(List.of(pki.rootPem()));
    try (OpensslServer server = OpensslServer.start(pki.good().chainPem(), pki.good().keyPem(), "-rev")) {
      String name = "127.0.0.1:" + server.port();
      assertThatThrownBy(() -> client.openSecure(name, true, "other.test.example."))
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class)
          .hasMessageStartingWith("hostname mismatch: expected other.test.example, certificate names"
              + " [localhost, mail.test.example, 127.0.0.1, 0:0:0:0:0:0:0:1]");
    }
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", " ", "\t", "."})
  void blankVerificationHostIsRefusedByOpenSecureBeforeAnyIo(String verificationHost) throws Exception {
    String nobodyListens = "127.0.0.1:" + Loopback.freePort(); // any I/O would fail to connect
    assertThatThrownBy(() -> client.openSecure(nobodyListens, true, verificationHost))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("verificationHost must be a host name or an IP address (or null for the socket's"
            + " own host), was \"" + verificationHost + "\"");
    assertThat(client.openSockets()).isEmpty();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", " "})
  void blankVerificationHostIsRefusedBySecureAndTheSocketStaysPlain(String verificationHost)
      throws Exception {
    try (SocketRegistry server = new SocketRegistry()) {
      RecordingListener events = new RecordingListener();
      String name = "127.0.0.1:" + server.accept(0, events);
      client.open(name);
      String accepted = events.awaitEvent("newConnection", WAIT).split(" ")[1];
      assertThatThrownBy(() -> client.secure(name, true, verificationHost))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("verificationHost must be a host name or an IP address");
      client.write(name, "still plaintext\n");
      assertThat(server.read(accepted, Chunk.lines(1))).isEqualTo("still plaintext\n");
    }
  }

  @Test
  void aNameSniCannotCarryIsRefusedNamingVerificationHost() throws Exception {
    String nobodyListens = "127.0.0.1:" + Loopback.freePort();
    assertThatThrownBy(() -> client.openSecure(nobodyListens, true, "mail..example.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a host name TLS can send as the server name (SNI):"
            + " verificationHost \"mail..example.com\" (");
  }
}
