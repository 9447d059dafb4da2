package org.sockscript;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sockscript.testing.LineServer;
import org.sockscript.testing.OpensslClient;
import org.sockscript.testing.TestPki;
import org.sockscript.testing.TlsPeers;
import org.sockscript.testing.TlsProviderRegistries;

/**
 * A failed handshake says what happened, from the bytes the peer sent, under both providers: an
 * alert an OpenSSL 3 client sends unencrypted under TLS 1.3 is named; plaintext where TLS was
 * expected is shown (first line, escaped, cut short) with its likeliest cause — for a client
 * that secured in place, a STARTTLS reply it had not read yet.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailureEvidenceTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestPki pki = TestPki.get();

  @ParameterizedTest(name = "{0}, s_client {1} -> {2}")
  @CsvSource({
      "Conscrypt, untrusted root, unknown_ca", "SunJSSE, untrusted root, unknown_ca",
      "Conscrypt, wrong name, bad_certificate", "SunJSSE, wrong name, bad_certificate"})
  void opensslClientRejectingOurCertificateIsReportedAsTheAlertItSent(String provider, String why,
      String alert) throws Exception {
    try (SocketRegistry server = TlsProviderRegistries.on(provider)) {
      server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
      RecordingListener events = new RecordingListener();
      String port = server.accept(0, events, true);
      boolean untrusted = why.equals("untrusted root");
      try (OpensslClient client = OpensslClient.start("-connect", "127.0.0.1:" + port, "-tls1_3",
          "-CAfile", (untrusted ? pki.otherRootPem() : pki.rootPem()).toString(),
          "-verify_hostname", untrusted ? "localhost" : "other.test.example", "-verify_return_error")) {
        String error = events.awaitEvent("socketError", WAIT);
        assertThat(error).as(client.output()).matches("socketError (127\\.0\\.0\\.1:\\d+): the peer"
            + " rejected the TLS handshake: it sent alert " + alert + " \\(\\1\\)");
        assertThat(events.events()).containsExactly(error);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Conscrypt", "SunJSSE"})
  void secureBeforeReadingTheStarttlsReplyShowsTheReplyAndNamesTheLikelyCause(String provider)
      throws Exception {
    try (LineServer server = starttlsServer("220 2.0.0 Ready to start TLS\r\n");
        SocketRegistry client = TlsProviderRegistries.on(provider)) {
      client.setSslCertificates(List.of(pki.rootPem()));
      RecordingListener events = new RecordingListener();
      String name = "localhost:" + server.port();
      client.open(name, events);
      events.awaitEvent("connected", WAIT);
      client.write(name, "STARTTLS\r\n");
      client.secure(name); // the mistake: the 220 reply is still unread
      String reason = "the TLS handshake received plaintext \"220 2.0.0 Ready to start TLS\""
          + " \u2014 was the reply to STARTTLS read before secure? (" + name + ")";
      assertThatThrownBy(() -> client.read(name, Chunk.until("\r\n")))
          .isInstanceOf(SSLHandshakeException.class).hasMessage(reason);
      assertThat(events.awaitEvent("socketError", WAIT)).isEqualTo("socketError " + name + ": " + reason);
    }
  }

  static Stream<Arguments> replies() {
    return Stream.of(
        Arguments.of("220 say \"hi\"\r\n", "\"220 say \\\"hi\\\"\""),
        Arguments.of("220 " + "0123456789".repeat(6) + "\r\n",
            "\"220 " + "0123456789".repeat(4) + "0123...\""),
        Arguments.of("220 \u0007bell\r\n", "\"220 \\x07...\""));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("replies")
  void plaintextIsShownEscapedAndCutShort(String reply, String shown) throws Exception {
    try (LineServer server = starttlsServer(reply); SocketRegistry client = new SocketRegistry()) {
      String name = "localhost:" + server.port();
      client.open(name);
      client.write(name, "STARTTLS\r\n");
      client.secure(name);
      assertThatThrownBy(() -> client.read(name, Chunk.until("\r\n")))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessage("the TLS handshake received plaintext " + shown
              + " \u2014 was the reply to STARTTLS read before secure? (" + name + ")");
    }
  }

  @Test
  void openSecureToAPlaintextServerAsksWhetherThePortSpeaksTls() throws Exception {
    try (LineServer server = LineServer.start(s -> {
      LineServer.writeLine(s.getOutputStream(), "220 mail.test.example ESMTP");
      s.getInputStream().read();
    }); SocketRegistry client = new SocketRegistry()) {
      String name = "localhost:" + server.port();
      assertThatThrownBy(() -> client.openSecure(name, true, null))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessage("the TLS handshake received plaintext \"220 mail.test.example ESMTP\""
              + " \u2014 does this port speak TLS from the first byte? (" + name + ")");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Conscrypt", "SunJSSE"})
  void plaintextCommandToASecureListenerIsShown(String provider) throws Exception {
    try (SocketRegistry server = TlsProviderRegistries.on(provider)) {
      server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
      RecordingListener events = new RecordingListener();
      String port = server.accept(0, events, true);
      try (Socket raw = new Socket("127.0.0.1", Integer.parseInt(port))) {
        raw.getOutputStream().write("EHLO client.test.example\r\n".getBytes(ISO_8859_1));
        String accepted = "127.0.0.1:" + raw.getLocalPort();
        assertThat(events.awaitEvent("socketError", WAIT)).isEqualTo("socketError " + accepted
            + ": the TLS handshake received plaintext \"EHLO client.test.example\" \u2014 the client"
            + " sent text where its TLS ClientHello belongs (" + accepted + ")");
      }
    }
  }

  @Test
  void plaintextAfterTheHandshakeIsShownToo() throws Exception {
    try (LineServer server = LineServer.start(s -> {
      LineServer.readLine(s.getInputStream());
      s.getOutputStream().write("220 go\r\n".getBytes(ISO_8859_1));
      TlsPeers.serverHandshake(s, pki.good());
      s.getOutputStream().write("QUIT\r\n".getBytes(ISO_8859_1)); // under the TLS layer: plaintext
      s.getInputStream().read();
    }); SocketRegistry client = new SocketRegistry()) {
      client.setSslCertificates(List.of(pki.rootPem()));
      String name = "localhost:" + server.port();
      client.open(name);
      client.write(name, "STARTTLS\r\n");
      client.read(name, Chunk.until("\r\n"));
      client.secure(name);
      client.tlsInfo(name); // the handshake is done
      assertThatThrownBy(() -> client.read(name, Chunk.until("\r\n")))
          .isInstanceOf(javax.net.ssl.SSLException.class)
          .hasMessage("the TLS session received plaintext \"QUIT\" where TLS records belong (" + name + ")");
    }
  }

  /** Reads STARTTLS, writes {@code reply} (one segment), then runs a JDK TLS server handshake. */
  private LineServer starttlsServer(String reply) throws Exception {
    return LineServer.start(s -> {
      LineServer.readLine(s.getInputStream());
      s.getOutputStream().write(reply.getBytes(ISO_8859_1));
      s.getOutputStream().flush();
      TlsPeers.serverHandshake(s, pki.good());
    });
  }
}
