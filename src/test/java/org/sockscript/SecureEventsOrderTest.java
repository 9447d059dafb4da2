package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.SilentServer;
import org.sockscript.testing.TestPki;

/**
 * The order of the events around a TLS handshake: a secure open is {@code connected} only once
 * it is {@code secured}, and a secure listener announces a {@code newConnection} only once that
 * connection is {@code secured} (DESIGN §3: "connected after the handshake").
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SecureEventsOrderTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestPki pki = TestPki.get();
  private SocketRegistry server;
  private SocketRegistry client;

  @BeforeEach
  void setUp() throws Exception {
    server = new SocketRegistry();
    server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
    client = new SocketRegistry();
    client.setSslCertificates(List.of(pki.rootPem()));
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  @Test
  void openSecureWithAListenerReportsSecuredBeforeConnected() throws Exception {
    String name = "localhost:" + server.accept(0, new RecordingListener(), true);
    RecordingListener events = new RecordingListener();
    client.openSecure(name, true, null, events);
    events.awaitEvent("connected " + name, WAIT);
    assertThat(events.events()).containsExactly("secured " + name + " TLSv1.3", "connected " + name);
    // connected means usable: the socket is secure and verified by then
    assertThat(client.tlsInfo(name).verified()).isTrue();
  }

  @Test
  void openSecureToAPeerThatNeverAnswersTheHandshakeIsNeverConnected() throws Exception {
    client.setSocketTimeoutInterval(Duration.ofMillis(400));
    try (SilentServer silent = SilentServer.start()) {
      String name = "127.0.0.1:" + silent.port();
      RecordingListener events = new RecordingListener();
      client.openSecure(name, false, null, events);
      assertThat(silent.awaitConnections(1, WAIT)).isTrue(); // TCP is connected; TLS never answers
      events.awaitEvent("socketError " + name, WAIT);
      assertThat(events.events()).containsExactly(
          "socketError " + name + ": handshake timeout: not complete after 400 ms (" + name + ")");
      assertThat(silent.awaitReceived(1, WAIT)).isTrue();
      assertThat(silent.received()).startsWith((byte) 0x16); // a ClientHello went out, and got no answer
    }
  }

  /**
   * {@code ListeningSocket} makes each connection secure from the start and {@code Connection}
   * tells the opening (here: {@code newConnection}) only after {@code Upgrade.succeeded} has sent
   * {@code secured}: the listener hears of a socket once it can be used securely.
   */
  @Test
  void aSecureListenerReportsSecuredBeforeNewConnection() throws Exception {
    RecordingListener serverEvents = new RecordingListener();
    String port = server.accept(0, serverEvents, true);
    String name = "localhost:" + port;
    client.openSecure(name, true, null);
    String accepted = client.hostAddress(name); // the server names it "<peer ip>:<peer port>"
    serverEvents.awaitEvent("newConnection " + accepted, WAIT);
    assertThat(serverEvents.events())
        .containsExactly("secured " + accepted + " TLSv1.3", "newConnection " + accepted + " " + port);
  }

  @Test
  void aSecureListenerWhoseHandshakeFailsReportsOneSocketErrorAndNoNewConnection() throws Exception {
    RecordingListener serverEvents = new RecordingListener();
    String name = "localhost:" + server.accept(0, serverEvents, true);
    try (SocketRegistry distrusting = new SocketRegistry()) { // the JDK's roots: the test root is unknown
      RecordingListener clientEvents = new RecordingListener();
      distrusting.openSecure(name, true, null, clientEvents);
      assertThat(clientEvents.awaitEvent("socketError " + name, WAIT))
          .startsWith("socketError " + name + ": certificate not trusted");
      String error = serverEvents.awaitEvent("socketError ", WAIT);
      assertThat(error).matches("socketError 127\\.0\\.0\\.1:\\d+: the peer rejected the TLS handshake:"
          + " it sent alert certificate_unknown \\(127\\.0\\.0\\.1:\\d+\\)");
      assertThat(serverEvents.events()).containsExactly(error);
    }
  }
}
