package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.TestIdentity;
import org.sockscript.testing.TestPki;
import org.sockscript.testing.TlsPeers;

/** Power users: client certificates, servers that demand them, key stores and their own contexts. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MutualTlsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestPki pki = TestPki.get();

  @Test
  void serverRequiringClientCertificatesSeesTheVerifiedClient() throws Exception {
    try (SocketRegistry server = demandingServer(); SocketRegistry client = trustingClient()) {
      client.setClientIdentity(pki.client().chainPem(), pki.client().keyPem());
      RecordingListener events = new RecordingListener();
      String name = "localhost:" + server.accept(0, events, true);
      client.openSecure(name, true, null);
      String accepted = events.awaitEvent("newConnection", WAIT).split(" ")[1];
      TlsInfo seenByServer = server.tlsInfo(accepted);
      assertThat(seenByServer.verified()).isTrue();
      assertThat(seenByServer.peerCertificates().get(0)).isEqualTo(pki.client().certificate());
      assertThat(seenByServer.toString()).contains("client certificate verified", "CN=test-client");
      client.write(name, "hello\n");
      assertThat(server.read(accepted, Chunk.lines(1))).isEqualTo("hello\n");
    }
  }

  @Test
  void serverRequiringClientCertificatesRejectsAClientWithout() throws Exception {
    try (SocketRegistry server = demandingServer(); SocketRegistry client = trustingClient()) {
      RecordingListener events = new RecordingListener();
      String name = "localhost:" + server.accept(0, events, true);
      String refusedByServer = "the peer rejected the TLS handshake: it sent alert certificate_required (" + name + ")";
      // TLS 1.3: the client may finish its side before the server's alert arrives; either way
      // the server refuses it and the client's first read fails.
      try {
        client.openSecure(name, true, null);
        assertThatThrownBy(() -> client.read(name, Chunk.lines(1))).isInstanceOf(javax.net.ssl.SSLException.class)
            .hasMessage(refusedByServer);
      } catch (SSLHandshakeException refused) {
        assertThat(refused).hasMessage(refusedByServer);
      }
      // the server reports the refusal once, as BoringSSL's reason for it
      String error = events.awaitEvent("socketError", WAIT);
      assertThat(error).matches("socketError (127\\.0\\.0\\.1:\\d+): client certificate required: the peer sent none \\(\\1\\)");
      assertThat(events.events()).containsExactly(error);
    }
  }

  @Test
  void serverIdentityFromAKeyStoreWorks() throws Exception {
    TestIdentity good = pki.good();
    try (SocketRegistry server = new SocketRegistry(); SocketRegistry client = trustingClient()) {
      server.setServerIdentity(good.keyStore(), TestIdentity.PASSWORD);
      String name = "localhost:" + server.accept(0, new RecordingListener(), true);
      client.openSecure(name, true, null);
      assertThat(client.tlsInfo(name).peerCertificates().get(0)).isEqualTo(good.certificate());
    }
  }

  @Test
  void callersOwnSslContextIsUsedAndStillChecksTheHostName() throws Exception {
    SSLContext jdk = TlsPeers.jdkContext(null, pki);
    try (SocketRegistry server = new SocketRegistry(); SocketRegistry client = new SocketRegistry()) {
      server.setServerIdentity(pki.wrongHost().chainPem(), pki.wrongHost().keyPem());
      String port = server.accept(0, new RecordingListener(), true);
      client.setSslContext(jdk);
      // the caller's trust managers check the chain; the library checks the name, in its words
      assertThatThrownBy(() -> client.openSecure("localhost:" + port, true, null))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessage("hostname mismatch: expected localhost, certificate names [other.test.example]"
              + " (localhost:" + port + ")")
          .hasRootCauseInstanceOf(java.security.cert.CertificateException.class);
      client.openSecure("127.0.0.1:" + port + "|right name", true, "other.test.example");
      assertThat(client.tlsInfo("127.0.0.1:" + port + "|right name").verified()).isTrue();
      assertThat(client.tlsInfo("127.0.0.1:" + port + "|right name").provider()).isEqualTo("SunJSSE");
      // its trust manager checks every chain: an unverified socket cannot be had with it (CustomSslContextTest)
      assertThatThrownBy(() -> client.openSecure("localhost:" + port + "|unverified", false, null))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  private SocketRegistry demandingServer() throws Exception {
    SocketRegistry server = new SocketRegistry();
    server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
    server.setSslCertificates(List.of(pki.rootPem()));
    server.setRequireClientCertificates(true);
    return server;
  }

  private SocketRegistry trustingClient() throws Exception {
    SocketRegistry client = new SocketRegistry();
    client.setSslCertificates(List.of(pki.rootPem()));
    return client;
  }
}
