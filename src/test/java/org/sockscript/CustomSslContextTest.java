package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sockscript.testing.CallerContexts;
import org.sockscript.testing.Loopback;
import org.sockscript.testing.OpensslServer;
import org.sockscript.testing.TestIdentity;
import org.sockscript.testing.TestPki;

/**
 * A caller's own SSLContext ({@code setSslContext}) never weakens verification, on Conscrypt and
 * on the JDK's provider alike, against an OpenSSL server: its trust manager checks the chain, the
 * library checks the name (no common-name fallback, the names in the error), TLS 1.3 works with
 * the JDK's PKIX trust manager in a Conscrypt context, and {@code verification == false} is
 * refused at once rather than silently checked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CustomSslContextTest {

  private final TestPki pki = TestPki.get();
  private final SocketRegistry client = new SocketRegistry();

  @AfterEach
  void closeClient() {
    client.close();
  }

  @ParameterizedTest(name = "{0} context")
  @ValueSource(strings = {"Conscrypt", "SunJSSE"})
  void customContextNeverFallsBackToTheCommonName(String provider) throws Exception {
    client.setSslContext(CallerContexts.pkix(provider, pki));
    try (OpensslServer server = serving(pki.cnOnly())) {
      String name = "localhost:" + server.port();
      assertThatThrownBy(() -> client.openSecure(name, true, null))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessage("hostname mismatch: expected localhost, certificate names [] (it has no DNS or IP"
              + " subjectAltName; its subject CN=localhost is not used for name checks) (" + name + ")");
      assertThat(client.openSockets()).doesNotContain(name);
    }
  }

  @ParameterizedTest(name = "{0} context")
  @ValueSource(strings = {"Conscrypt", "SunJSSE"})
  void customContextWithAPlainTrustManagerStillChecksTheName(String provider) throws Exception {
    client.setSslContext(CallerContexts.plainTrustManager(provider, pki));
    try (OpensslServer server = serving(pki.wrongHost())) {
      String name = "localhost:" + server.port();
      assertThatThrownBy(() -> client.openSecure(name, true, null))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessage("hostname mismatch: expected localhost, certificate names [other.test.example] ("
              + name + ")");
    }
  }

  @ParameterizedTest(name = "{0} context")
  @ValueSource(strings = {"Conscrypt", "SunJSSE"})
  void contextWithTheJdkPkixTrustManagerVerifiesATls13Server(String provider) throws Exception {
    client.setSslContext(CallerContexts.pkix(provider, pki));
    try (OpensslServer server = serving(pki.good(), "-tls1_3")) {
      String name = "localhost:" + server.port();
      client.openSecure(name, true, null);
      client.write(name, "stressed\n");
      assertThat(client.read(name, Chunk.lines(1))).isEqualTo("desserts\n");
      TlsInfo info = client.tlsInfo(name);
      assertThat(info.toString()).startsWith("TLSv1.3 ").contains("(" + provider + ") verified as localhost");
    }
  }

  @ParameterizedTest(name = "{0} context")
  @ValueSource(strings = {"Conscrypt", "SunJSSE"})
  void customContextStillChecksTheChainWithItsOwnTrustManager(String provider) throws Exception {
    client.setSslContext(CallerContexts.pkix(provider, pki));
    try (OpensslServer server = serving(pki.untrustedRoot())) {
      String name = "localhost:" + server.port();
      assertThatThrownBy(() -> client.openSecure(name, true, null))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("PKIX path building failed")
          .hasMessageEndingWith("(" + name + ")");
    }
  }

  @ParameterizedTest(name = "{0} context")
  @ValueSource(strings = {"Conscrypt", "SunJSSE"})
  void unverifiedWithACustomContextIsRefusedBeforeAnyIo(String provider) throws Exception {
    client.setSslContext(CallerContexts.pkix(provider, pki));
    String nobodyListens = "127.0.0.1:" + Loopback.freePort(); // any I/O would fail to connect
    assertThatThrownBy(() -> client.openSecure(nobodyListens, false, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("verification == false conflicts with the SSLContext given to setSslContext: its"
            + " trust manager checks every peer's chain, so the socket would not be unverified; pass"
            + " verification == true, or call setSslContext(null) to use the registry's own TLS settings");
    assertThat(client.openSockets()).isEmpty();

    try (SocketRegistry server = new SocketRegistry()) {
      RecordingListener events = new RecordingListener();
      String plain = "127.0.0.1:" + server.accept(0, events);
      client.open(plain);
      String accepted = events.awaitEvent("newConnection", java.time.Duration.ofSeconds(10)).split(" ")[1];
      assertThatThrownBy(() -> client.secure(plain, false, null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("verification == false conflicts with the SSLContext");
      client.write(plain, "still plaintext\n"); // nothing changed: the socket is as it was
      assertThat(server.read(accepted, Chunk.lines(1))).isEqualTo("still plaintext\n");
    }
  }

  private OpensslServer serving(TestIdentity identity, String... flags) throws Exception {
    String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(flags),
        java.util.stream.Stream.of("-rev")).toArray(String[]::new);
    return OpensslServer.start(identity.chainPem(), identity.keyPem(), args);
  }
}
