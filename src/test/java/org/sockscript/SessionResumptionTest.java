package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sockscript.testing.OpensslServer;
import org.sockscript.testing.Registries;
import org.sockscript.testing.TestPki;

/**
 * Client-side session resumption against {@code openssl s_server}, and the rules that key it: a
 * session is offered again only to the same name, port and verification settings.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionResumptionTest {

  private final TestPki pki = TestPki.get();
  @RegisterExtension final Registries registries = new Registries();
  private final SocketRegistry sockets = registries.trustingTestRoot();
  private String lastPage;


  @ParameterizedTest(name = "{0}")
  @CsvSource({"-tls1_2, TLSv1.2", "-tls1_3, TLSv1.3"})
  void secondOpenSecureToTheSameServerResumes(String flag, String protocol) throws Exception {
    try (OpensslServer server = start(flag)) {
      TlsInfo first = echo("localhost:" + server.port(), true, null);
      TlsInfo second = echo("localhost:" + server.port() + "|2", true, null);
      assertThat(first.resumed()).as("first: %s", first).isFalse();
      assertThat(second.resumed()).as("second: %s", second).isTrue();
      assertThat(second.protocol()).isEqualTo(protocol);
      assertThat(second.verified()).isTrue();
      assertThat(second.peerCertificates()).isEqualTo(first.peerCertificates());
      assertThat(lastPage).contains("Reused, " + protocol + ", Cipher is");
    }
  }

  @Test
  void aTls12SessionIdIsResumedWhenTheServerIssuesNoTickets() throws Exception {
    try (OpensslServer server = OpensslServer.start(pki.good().chainPem(), pki.good().keyPem(), "-tls1_2", "-no_ticket", "-www")) {
      echo("localhost:" + server.port(), true, null);
      TlsInfo second = echo("localhost:" + server.port() + "|2", true, null);
      assertThat(second.resumed()).as("%s", second).isTrue();
      assertThat(lastPage).contains("Reused, TLSv1.2, Cipher is");
    }
  }

  @Test
  void aSessionIsNeverOfferedToAnotherVerificationHost() throws Exception {
    try (OpensslServer server = start("-tls1_3")) {
      echo("localhost:" + server.port(), true, null);
      TlsInfo other = echo("localhost:" + server.port() + "|2", true, "mail.test.example");
      assertThat(other.resumed()).as("%s", other).isFalse();
      assertThat(echo("localhost:" + server.port() + "|3", true, null).resumed()).isTrue();
    }
  }

  @Test
  void anUnverifiedSessionIsNeverOfferedToAVerifiedConnection() throws Exception {
    try (OpensslServer server = start("-tls1_3")) {
      echo("localhost:" + server.port(), false, null);
      TlsInfo verified = echo("localhost:" + server.port() + "|2", true, null);
      assertThat(verified.resumed()).as("%s", verified).isFalse();
      assertThat(verified.verified()).isTrue();
      assertThat(lastPage).contains("New, TLSv1.3, Cipher is");
    }
  }

  @Test
  void aSessionIsNeverOfferedToAnotherPort() throws Exception {
    try (OpensslServer one = start("-tls1_3"); OpensslServer two = start("-tls1_3")) {
      echo("localhost:" + one.port(), true, null);
      assertThat(echo("localhost:" + two.port(), true, null).resumed()).isFalse();
    }
  }

  @Test
  void resumptionOffMakesEveryHandshakeFull() throws Exception {
    sockets.setTlsOptions(sockets.tlsOptions().toBuilder().sessionResumption(false).build());
    try (OpensslServer server = start("-tls1_2")) {
      echo("localhost:" + server.port(), true, null);
      assertThat(echo("localhost:" + server.port() + "|2", true, null).resumed()).isFalse();
      assertThat(lastPage).contains("New, TLSv1.2, Cipher is");
    }
  }

  @Test
  void perCallOptionsWithTheRegistrysRootsShareItsSessions() throws Exception {
    try (OpensslServer server = start("-tls1_3")) {
      echo("localhost:" + server.port(), true, null);
      String name = "localhost:" + server.port() + "|2";
      sockets.openSecure(name, true, null, sockets.tlsOptions().toBuilder().build());
      sockets.write(name, "GET / HTTP/1.0\r\n\r\n");
      assertThat(sockets.read(name, Chunk.untilEnd())).contains("Reused, TLSv1.3");
      assertThat(sockets.tlsInfo(name).resumed()).isTrue();
    }
  }

  private OpensslServer start(String flag) throws Exception {
    return OpensslServer.start(pki.good().chainPem(), pki.good().keyPem(), flag, "-www");
  }

  /**
   * Opens, fetches s_server's status page (which says "New" or "Reused" and the protocol), so
   * that TLS 1.3 tickets arrive too, closes; returns the TLS details.
   */
  private TlsInfo echo(String name, boolean verify, String verificationHost) throws Exception {
    sockets.openSecure(name, verify, verificationHost);
    sockets.write(name, "GET / HTTP/1.0\r\n\r\n");
    lastPage = sockets.read(name, Chunk.untilEnd());
    TlsInfo info = sockets.tlsInfo(name);
    sockets.close(name);
    return info;
  }
}
