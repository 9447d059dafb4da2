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
      // TLS 1.3: the client may finish its side before the server's alert arrives; either way
      // the server refuses it and the client's first read fails.
      try {
        client.openSecure(name, true, null);
        assertThatThrownBy(() -> client.read(name, Chunk.lines(1))).isInstanceOf(javax.net.ssl.SSLException.class)
            .hasMessageStartingWith("the peer rejected the TLS handshake: it sent alert certificate_required");
      } catch (SSLHandshakeException refused) {
        assertThat(refused).hasMessageContaining("TLS");
      }
      assertThat(events.awaitEvent("socketError", WAIT)).contains("TLS");
      // the server reports the refusal once
      assertThat(events.events().stream().filter(e -> e.startsWith("socketError"))).hasSize(1);
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
      assertThatThrownBy(() -> client.openSecure("localhost:" + port, true, null))
          .isInstanceOf(SSLHandshakeException.class);
      client.openSecure("localhost:" + port + "|unverified", false, null);
      assertThat(client.tlsInfo("localhost:" + port + "|unverified").provider()).isEqualTo("SunJSSE");
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
