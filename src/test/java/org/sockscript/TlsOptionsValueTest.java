package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sockscript.testing.OpensslClient;
import org.sockscript.testing.OpensslServer;
import org.sockscript.testing.Registries;
import org.sockscript.testing.TestPki;

/**
 * {@link TlsOptions} as a value (presets, a builder that names bad input, copies that do not
 * share state) and as the options of one {@code secure} call, client and server side, against
 * OpenSSL.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsOptionsValueTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestPki pki = TestPki.get();
  @RegisterExtension final Registries registries = new Registries();
  private final SocketRegistry sockets = registries.serving();

  @Test
  void secureWithItsOwnOptionsOffersTheirAlpnList() throws Exception {
    try (OpensslServer server = OpensslServer.start(pki.good().chainPem(), pki.good().keyPem(), "-alpn", "imap", "-rev")) {
      String name = "localhost:" + server.port();
      sockets.open(name);
      sockets.secure(name, true, null, sockets.tlsOptions().toBuilder().applicationProtocols("imap").build());
      assertThat(sockets.tlsInfo(name).applicationProtocol()).isEqualTo("imap");
      assertThat(sockets.tlsOptions().applicationProtocols()).as("the registry's own are untouched").isEmpty();
    }
  }

  @Test
  void aServerSideSecureWithItsOwnOptionsChoosesFromTheirList() throws Exception {
    TlsOptions imap = sockets.tlsOptions().toBuilder().applicationProtocols("imap").build();
    RecordingListener events = new RecordingListener() {
      @Override
      public void newConnection(String socket, String listenerName) {
        try {
          sockets.secure(socket, true, null, imap);
        } catch (java.io.IOException e) {
          record("secure failed: " + e);
        }
      }

      @Override
      public void secured(String socket, TlsInfo info) {
        record("secured alpn=" + info.applicationProtocol());
      }
    };
    String port = sockets.accept(0, events);
    try (OpensslClient client = OpensslClient.start("-connect", "127.0.0.1:" + port, "-alpn", "h2,imap",
        "-CAfile", pki.rootPem().toString(), "-servername", "localhost", "-ign_eof")) {
      assertThat(events.awaitEvent("secured", WAIT)).isEqualTo("secured alpn=imap");
      assertThat(client.awaitOutput("ALPN protocol: imap", WAIT)).as(client.output()).isTrue();
    }
  }

  @Test
  void presetsSayWhatTheyAre() {
    assertThat(TlsOptions.DEFAULT.sessionResumption()).isTrue();
    assertThat(TlsOptions.NO_RESUMPTION.sessionResumption()).isFalse();
    assertThat(TlsOptions.NO_RESUMPTION.toBuilder().sessionResumption(true).build()).isEqualTo(TlsOptions.DEFAULT);
    assertThat(TlsOptions.DEFAULT.roots()).isEmpty();
    assertThat(TlsOptions.DEFAULT.pins()).isSameAs(CertificatePins.NONE);
  }

  @Test
  void aBuilderMadeFromOptionsLeavesThemUnchanged() {
    TlsOptions base = TlsOptions.builder().applicationProtocols("h2").build();
    TlsOptions changed = base.toBuilder().applicationProtocols("imap").sessionResumption(false).build();
    assertThat(base.applicationProtocols()).containsExactly("h2");
    assertThat(base.sessionResumption()).isTrue();
    assertThat(changed).isNotEqualTo(base);
    assertThat(base.toBuilder().build()).isEqualTo(base).hasSameHashCodeAs(base);
    assertThatThrownBy(() -> base.applicationProtocols().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theBuilderNamesBadInput() {
    assertThatThrownBy(() -> TlsOptions.builder().serverIdentity(Path.of("chain.pem"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serverIdentity needs both a chain and a key, or neither: chain=chain.pem, key=null");
    assertThatThrownBy(() -> TlsOptions.builder().applicationProtocols("h2", "h2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ALPN protocol listed twice: \"h2\"");
    assertThatThrownBy(() -> TlsOptions.builder().trustOnly(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("roots must be a list of paths, was null");
    assertThatThrownBy(() -> CertificatePins.builder().add("*.example.org", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("pinned host must be a host name, was \"*.example.org\"");
    assertThatThrownBy(() -> TlsOptions.builder().pins(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("pins == null");
  }

  @Test
  void optionsThatCannotServeAreRefusedBeforeAnyIo() throws Exception {
    SocketRegistry client = registries.trustingTestRoot();
    assertThatThrownBy(() -> client.accept(0, new RecordingListener(), TlsOptions.DEFAULT))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a server identity");
    assertThat(client.openSockets()).isEmpty();
  }
}
