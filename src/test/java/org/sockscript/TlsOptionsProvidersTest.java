package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sockscript.testing.OpensslServer;
import org.sockscript.testing.TestPki;
import org.sockscript.testing.TlsProviderRegistries;

/** Resumption, ALPN and pins behave alike under Conscrypt and the JDK's provider (against openssl s_server). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsOptionsProvidersTest {

  private final TestPki pki = TestPki.get();
  private SocketRegistry sockets;

  @AfterEach
  void tearDown() {
    if (sockets != null) {
      sockets.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Conscrypt", "SunJSSE"})
  void aSecondConnectionResumesAndNoResumptionMakesItNew(String provider) throws Exception {
    sockets = registry(provider);
    try (OpensslServer server = OpensslServer.start(pki.good().chainPem(), pki.good().keyPem(), "-www")) {
      String name = "localhost:" + server.port();
      assertThat(page(name, null)).contains("New, TLSv1.3");
      assertThat(page(name + "|2", null)).contains("Reused, TLSv1.3");
      assertThat(page(name + "|3", TlsOptions.NO_RESUMPTION.toBuilder().trustOnly(List.of(pki.rootPem())).build()))
          .contains("New, TLSv1.3");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Conscrypt", "SunJSSE"})
  void alpnIsAgreedAndAPinMismatchFails(String provider) throws Exception {
    sockets = registry(provider);
    try (OpensslServer server = OpensslServer.start(pki.good().chainPem(), pki.good().keyPem(), "-alpn", "h2", "-rev")) {
      String name = "localhost:" + server.port();
      sockets.openSecure(name, true, null, sockets.tlsOptions().toBuilder().applicationProtocols("h2", "http/1.1").build());
      assertThat(sockets.tlsInfo(name).applicationProtocol()).isEqualTo("h2");
      assertThat(sockets.tlsInfo(name).provider()).isEqualTo(provider);
      sockets.close(name); // s_server serves one connection at a time
      TlsOptions pinned = sockets.tlsOptions().toBuilder().pins(CertificatePins.builder()
          .add("localhost", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").build()).build();
      assertThatThrownBy(() -> sockets.openSecure(name + "|2", true, null, pinned))
          .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("certificate pinning failure for localhost");
    }
  }

  private SocketRegistry registry(String provider) throws Exception {
    SocketRegistry r = TlsProviderRegistries.on(provider);
    r.setSslCertificates(List.of(pki.rootPem()));
    return r;
  }

  private String page(String name, TlsOptions options) throws Exception {
    if (options == null) {
      sockets.openSecure(name, true, null);
    } else {
      sockets.openSecure(name, true, null, options);
    }
    sockets.write(name, "GET / HTTP/1.0\r\n\r\n");
    String page = sockets.read(name, Chunk.untilEnd());
    sockets.close(name); // s_server serves one connection at a time
    return page;
  }
}
