package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sockscript.testing.OpensslClient;
import org.sockscript.testing.OpensslServer;
import org.sockscript.testing.Registries;
import org.sockscript.testing.TestPki;

/** ALPN both ways against OpenSSL: offered by openSecure, chosen by a secure listener, and required. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlpnTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestPki pki = TestPki.get();
  @RegisterExtension final Registries registries = new Registries();
  private final SocketRegistry sockets = registries.serving();


  @Test
  void openSecureAgreesTheProtocolOpensslServerPrefers() throws Exception {
    try (OpensslServer server = OpensslServer.start(pki.good().chainPem(), pki.good().keyPem(), "-alpn", "http/1.1,h2", "-rev")) {
      String name = "localhost:" + server.port();
      sockets.openSecure(name, true, null, alpn(false, "h2", "http/1.1"));
      assertThat(sockets.tlsInfo(name).applicationProtocol()).isEqualTo("http/1.1"); // the server's first choice
    }
  }

  @Test
  void aRequiredProtocolTheServerDoesNotChooseFailsNamingTheOfferedList() throws Exception {
    try (OpensslServer server = OpensslServer.start(pki.good().chainPem(), pki.good().keyPem(), "-alpn", "imap", "-rev")) {
      assertThatThrownBy(() -> sockets.openSecure("localhost:" + server.port(), true, null, alpn(true, "h2", "http/1.1")))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("it sent alert no_application_protocol")
          .hasMessageContaining("no ALPN protocol agreed: offered [h2, http/1.1], the server accepts none of them");
    }
  }

  @Test
  void aSecureListenerChoosesItsPreferredProtocolForOpensslClient() throws Exception {
    sockets.setTlsOptions(sockets.tlsOptions().toBuilder().applicationProtocols("h2", "http/1.1").build());
    RecordingListener events = new RecordingListener();
    String port = sockets.accept(0, events, true);
    try (OpensslClient client = OpensslClient.start("-connect", "127.0.0.1:" + port,
        "-alpn", "http/1.1,h2", "-CAfile", pki.rootPem().toString(), "-servername", "localhost", "-ign_eof")) {
      assertThat(client.awaitOutput("ALPN protocol: h2", WAIT)).as(client.output()).isTrue();
    }
  }

  @Test
  void aListenerRequiringAProtocolRefusesAClientOfferingNoneOfItsOwnNamingBothLists() throws Exception {
    sockets.setTlsOptions(sockets.tlsOptions().toBuilder().applicationProtocols("h2")
        .applicationProtocolRequired(true).build());
    RecordingListener events = new RecordingListener();
    String port = sockets.accept(0, events, true);
    try (OpensslClient client = OpensslClient.start("-connect", "127.0.0.1:" + port,
        "-alpn", "imap,pop3", "-CAfile", pki.rootPem().toString(), "-servername", "localhost", "-ign_eof")) {
      assertThat(events.awaitEvent("socketError", WAIT))
          .contains("no ALPN protocol agreed: the client offered [imap, pop3], this server accepts [h2]");
    }
  }

  @Test
  void eachSecureListenerChoosesFromItsOwnList() throws Exception {
    String h2 = sockets.accept(0, new RecordingListener(), sockets.tlsOptions().toBuilder().applicationProtocols("h2").build());
    String imap = sockets.accept(0, new RecordingListener(), sockets.tlsOptions().toBuilder().applicationProtocols("imap").build());
    for (String[] listener : new String[][] {{h2, "h2"}, {imap, "imap"}}) {
      try (OpensslClient client = OpensslClient.start("-connect", "127.0.0.1:" + listener[0],
          "-alpn", "h2,imap", "-CAfile", pki.rootPem().toString(), "-servername", "localhost", "-ign_eof")) {
        assertThat(client.awaitOutput("ALPN protocol: " + listener[1], WAIT)).as(client.output()).isTrue();
      }
    }
  }

  @Test
  void theBuilderRefusesBadProtocolNames() {
    assertThatThrownBy(() -> TlsOptions.builder().applicationProtocols("h2", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("an ALPN protocol must be 1 to 255 bytes, was \"\"");
    assertThatThrownBy(() -> TlsOptions.builder().applicationProtocolRequired(true).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs applicationProtocols");
  }

  private TlsOptions alpn(boolean required, String... protocols) {
    return sockets.tlsOptions().toBuilder().applicationProtocols(protocols)
        .applicationProtocolRequired(required).build();
  }
}
