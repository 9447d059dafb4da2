package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sockscript.testing.TestIdentity;
import org.sockscript.testing.TestPki;

/**
 * Each kind of bad certificate, with and without verification: with it, the handshake fails with
 * a reason naming the problem; without it, the socket connects and says it is unverified.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VerificationMatrixTest {

  private static final TestPki PKI = TestPki.get();
  private static SocketRegistry client;

  @BeforeAll
  static void trustTheTestRoot() throws Exception {
    client = new SocketRegistry();
    client.setSslCertificates(List.of(PKI.rootPem()));
  }

  @AfterAll
  static void closeClient() {
    client.close();
  }

  static Stream<Arguments> badCertificates() {
    return Stream.of(
        Arguments.of(PKI.expired(), "certificate expired: CN=localhost expired at"),
        Arguments.of(PKI.wrongHost(), "hostname mismatch: expected localhost, certificate names [other.test.example]"),
        Arguments.of(PKI.selfSigned(), "certificate not trusted: CN=localhost is self-signed"),
        Arguments.of(PKI.untrustedRoot(), "certificate not trusted: no path from CN=localhost to a trusted root"),
        Arguments.of(PKI.incompleteChain(), "certificate not trusted: no path from CN=localhost to a trusted root;"
            + " the peer sent 1 certificate(s), the last issued by CN=sockscript test intermediate"),
        Arguments.of(PKI.cnOnly(), "hostname mismatch: expected localhost, certificate names [] (it has no DNS or IP"
            + " subjectAltName; its subject CN=localhost is not used for name checks)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCertificates")
  void verifiedOpenSecureFailsWithAReasonNamingTheProblem(TestIdentity identity, String reason)
      throws Exception {
    try (SocketRegistry server = serving(identity)) {
      String port = server.accept(0, new RecordingListener(), true);
      assertThatThrownBy(() -> client.openSecure("localhost:" + port, true, null))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageStartingWith(reason);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCertificates")
  void verifiedStarttlsReportsTheSameReasonAsSocketError(TestIdentity identity, String reason)
      throws Exception {
    try (SocketRegistry server = serving(identity)) {
      RecordingListener serverEvents = new RecordingListener();
      String port = server.accept(0, serverEvents);
      RecordingListener events = new RecordingListener();
      String name = "localhost:" + port + "|starttls";
      client.open(name, events);
      events.awaitEvent("connected", java.time.Duration.ofSeconds(10));
      String accepted = serverEvents.awaitEvent("newConnection", java.time.Duration.ofSeconds(10)).split(" ")[1];
      server.secure(accepted);
      client.secure(name);
      assertThat(events.awaitEvent("socketError " + name, java.time.Duration.ofSeconds(10)))
          .isEqualTo("socketError " + name + ": " + reasonWithSocket(reason, name, events));
    }
  }

  /** The reason as reported: the expected start, and the socket's name at the end. */
  private static String reasonWithSocket(String reason, String name, RecordingListener events) {
    String seen = events.events().stream().filter(e -> e.startsWith("socketError")).findFirst().orElseThrow();
    assertThat(seen).startsWith("socketError " + name + ": " + reason).endsWith("(" + name + ")");
    return seen.substring(("socketError " + name + ": ").length());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCertificates")
  void withoutVerificationEachConnectsAndIsReportedUnverified(TestIdentity identity, String ignored)
      throws Exception {
    try (SocketRegistry server = serving(identity)) {
      String port = server.accept(0, new RecordingListener(), true);
      String name = "localhost:" + port;
      client.openSecure(name, false, null);
      TlsInfo info = client.tlsInfo(name);
      assertThat(info.verified()).isFalse();
      assertThat(info.verifiedHost()).isNull();
      assertThat(info.toString()).contains("UNVERIFIED");
      assertThat(info.peerCertificates().get(0)).isEqualTo(identity.certificate());
      client.close(name);
    }
  }

  @Test
  void goodChainVerifiesAndTlsInfoDescribesIt() throws Exception {
    try (SocketRegistry server = serving(PKI.good())) {
      String port = server.accept(0, new RecordingListener(), true);
      String name = "localhost:" + port;
      client.openSecure(name, true, null);
      TlsInfo info = client.tlsInfo(name);
      assertThat(info.verified()).isTrue();
      assertThat(info.verifiedHost()).isEqualTo("localhost");
      assertThat(info.protocol()).isEqualTo("TLSv1.3");
      assertThat(info.provider()).isEqualTo("Conscrypt");
      assertThat(info.peerCertificates()).hasSize(2);
      assertThat(info.describeChain().get(0)).contains("subject=CN=localhost",
          "issuer=CN=sockscript test intermediate", "mail.test.example", "127.0.0.1");
      client.close(name);
    }
  }

  @Test
  void ipSanVerifiesAnIpAddressButNotAHostName() throws Exception {
    try (SocketRegistry server = serving(PKI.ipSanOnly())) {
      String port = server.accept(0, new RecordingListener(), true);
      client.openSecure("127.0.0.1:" + port, true, null);
      assertThat(client.tlsInfo("127.0.0.1:" + port).verifiedHost()).isEqualTo("127.0.0.1");
      assertThatThrownBy(() -> client.openSecure("localhost:" + port, true, null))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageStartingWith("hostname mismatch: expected localhost, certificate names [127.0.0.1,");
    }
  }

  @Test
  void verificationHostDifferentFromTheConnectHostIsWhatIsChecked() throws Exception {
    try (SocketRegistry server = serving(PKI.good())) {
      String port = server.accept(0, new RecordingListener(), true);
      String viaProxy = "127.0.0.1:" + port + "|tunnel";
      client.openSecure(viaProxy, true, "mail.test.example");
      assertThat(client.tlsInfo(viaProxy).verifiedHost()).isEqualTo("mail.test.example");
      assertThatThrownBy(() -> client.openSecure("127.0.0.1:" + port + "|other", true, "other.test.example"))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageStartingWith("hostname mismatch: expected other.test.example, certificate names"
              + " [localhost, mail.test.example, 127.0.0.1, 0:0:0:0:0:0:0:1]");
    }
  }

  @Test
  void defaultTrustStoreDoesNotTrustTheTestRoot() throws Exception {
    try (SocketRegistry server = serving(PKI.good()); SocketRegistry defaults = new SocketRegistry()) {
      String port = server.accept(0, new RecordingListener(), true);
      assertThatThrownBy(() -> defaults.openSecure("localhost:" + port, true, null))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageStartingWith("certificate not trusted");
    }
  }

  private static SocketRegistry serving(TestIdentity identity) throws Exception {
    SocketRegistry server = new SocketRegistry();
    server.setServerIdentity(identity.chainPem(), identity.keyPem());
    return server;
  }
}
