package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sockscript.testing.OpensslServer;
import org.sockscript.testing.Registries;
import org.sockscript.testing.TestPki;

/** Pins of SubjectPublicKeyInfo hashes, checked against openssl s_server's valid chain. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CertificatePinningTest {

  private static final String WRONG_PIN = "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  private final TestPki pki = TestPki.get();
  @RegisterExtension final Registries registries = new Registries();
  private final SocketRegistry sockets = registries.trustingTestRoot();


  @Test
  void aChainCarryingAPinOfItsHostPasses() throws Exception {
    String pin = CertificatePins.pin(pki.good().chain().get(1)); // the intermediate's key
    pin("localhost", WRONG_PIN, pin);
    try (OpensslServer server = start()) {
      sockets.openSecure("localhost:" + server.port(), true, null);
      assertThat(sockets.tlsInfo("localhost:" + server.port()).verified()).isTrue();
    }
  }

  @Test
  void aValidChainWithoutAPinFailsListingThePeersPinsBesideTheConfiguredOnes() throws Exception {
    pin("localhost", WRONG_PIN);
    try (OpensslServer server = start()) {
      assertThatThrownBy(() -> sockets.openSecure("localhost:" + server.port(), true, null))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("certificate pinning failure for localhost!")
          .hasMessageContaining(CertificatePins.pin(pki.good().certificate()) + ": CN=localhost")
          .hasMessageContaining("Pinned certificates for localhost:\n    " + WRONG_PIN);
    }
  }

  @Test
  void pinsOfAnotherHostDoNotApply() throws Exception {
    pin("example.org", WRONG_PIN);
    try (OpensslServer server = start()) {
      sockets.openSecure("localhost:" + server.port(), true, null);
    }
  }

  @Test
  void aResumedSessionIsCheckedAgainstThePinsToo() throws Exception {
    try (OpensslServer server = start()) {
      String first = "localhost:" + server.port();
      sockets.openSecure(first, true, null);
      sockets.write(first, "GET / HTTP/1.0\r\n\r\n");
      sockets.read(first, Chunk.untilEnd()); // the tickets arrive
      TlsOptions pinned = sockets.tlsOptions().toBuilder().pins(
          CertificatePins.builder().add("localhost", WRONG_PIN).build()).build();
      assertThatThrownBy(() -> sockets.openSecure(first + "|2", true, null, pinned))
          .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("certificate pinning failure");
      // The session is offered under pins (the right pin resumes), so the failure above was a
      // resumed handshake's pin check, not a full handshake's.
      TlsOptions rightPin = sockets.tlsOptions().toBuilder().pins(CertificatePins.builder()
          .add("localhost", CertificatePins.pin(pki.good().certificate())).build()).build();
      sockets.openSecure(first + "|3", true, null, rightPin);
      assertThat(sockets.tlsInfo(first + "|3").resumed()).as("the third connection resumed").isTrue();
    }
  }

  @Test
  void theBuilderRefusesPinsOfTheWrongForm() {
    assertThatThrownBy(() -> CertificatePins.builder().add("h", "sha1/AAAA"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("pins must start with \"sha256/\": sha1/AAAA");
    assertThatThrownBy(() -> CertificatePins.builder().add("h", "sha256/AAAA"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("pin must hold 32 bytes (a SHA-256), sha256/AAAA holds 3");
  }

  private void pin(String host, String... pins) throws Exception {
    sockets.setTlsOptions(sockets.tlsOptions().toBuilder()
        .pins(CertificatePins.builder().add(host, pins).build()).build());
  }

  private OpensslServer start() throws Exception {
    return OpensslServer.start(pki.good().chainPem(), pki.good().keyPem(), "-www");
  }
}
