package org.sockscript.hardening;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.RecordingListener;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.TestIdentity;
import org.sockscript.testing.TestPki;
import org.sockscript.testing.TlsProviderRegistries;

/**
 * A TLS 1.3 client (the JDK's SSLSocket) sends its request, then {@code shutdownOutput()}: a
 * close_notify for its direction only, and waits for the answer. What the server may do then is
 * the engine's to say: the JDK's lets it answer (TLS 1.3 half-close); Conscrypt's answers the
 * close_notify with its own, which ends both directions, so the answer is refused with a clear
 * error instead of being lost silently.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsHalfCloseTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void underTheJdkProviderTheServerAnswersAfterTheClientsCloseNotify() throws Exception {
    try (SocketRegistry server = registry(true)) {
      RecordingListener events = answering(server);
      String reply = requestThenHalfClose(server.accept(0, events, true));
      assertThat(reply).isEqualTo("REPLY to REQUEST\n");
      assertThat(events.awaitEvent("answered", WAIT)).isEqualTo("answered");
    }
  }

  @Test
  void underConscryptTheClientsCloseNotifyEndsBothDirectionsAndAWriteSaysSo() throws Exception {
    try (SocketRegistry server = registry(false)) {
      RecordingListener events = answering(server);
      String reply = requestThenHalfClose(server.accept(0, events, true));
      assertThat(reply).isEmpty();
      assertThat(events.awaitEvent("failed", WAIT)).matches("failed socket is not open: \"\\S+\" was closed by the peer");
    }
  }

  /** Reads the request up to the client's end of data, answers it, closes; records the outcome. */
  private static RecordingListener answering(SocketRegistry server) {
    return new RecordingListener() {
      @Override
      public void newConnection(String socket, String listener) {
        try {
          String request = server.read(socket, Chunk.untilEnd());
          server.write(socket, "REPLY to " + request);
          record("answered");
        } catch (IOException e) {
          record("failed " + e.getMessage());
        } finally {
          server.close(socket);
        }
      }
    };
  }

  private static String requestThenHalfClose(String port) throws Exception {
    TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
    java.security.KeyStore roots = java.security.KeyStore.getInstance("PKCS12");
    roots.load(null, null);
    roots.setCertificateEntry("root", TestPki.get().root());
    trust.init(roots);
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(null, trust.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
        .createSocket(InetAddress.getLoopbackAddress(), Integer.parseInt(port))) {
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.getOutputStream().write("REQUEST\n".getBytes(UTF_8));
      socket.shutdownOutput(); // TLS 1.3: close_notify for this direction only
      return new String(socket.getInputStream().readAllBytes(), UTF_8);
    }
  }

  private static SocketRegistry registry(boolean jdkProvider) throws IOException {
    SocketRegistry sockets = TlsProviderRegistries.on(jdkProvider ? "SunJSSE" : "Conscrypt");
    TestIdentity identity = TestPki.get().good();
    sockets.setServerIdentity(identity.chainPem(), identity.keyPem());
    sockets.setSslCertificates(List.of(TestPki.get().rootPem()));
    return sockets;
  }
}
