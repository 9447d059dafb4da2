package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sockscript.testing.LineServer;
import org.sockscript.testing.TestIdentity;
import org.sockscript.testing.TestPki;
import org.sockscript.testing.TlsPeers;

/**
 * DESIGN §4.4: SNI carries the name that is verified (the verificationHost, else the socket's
 * host; none for an IP literal, which SNI cannot carry), seen by a JDK server; and
 * {@code sslCertificates} takes folders and lists of PEM files as the trusted roots.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SniAndTrustSourcesTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final TestPki PKI = TestPki.get();

  // ---- SNI ----------------------------------------------------------------------------------

  static Stream<Arguments> sniCases() {
    return Stream.of(
        Arguments.of("127.0.0.1", "localhost", PKI.good(), List.of("localhost")),
        Arguments.of("localhost", null, PKI.good(), List.of("localhost")),
        Arguments.of("127.0.0.1", "mail.test.example", PKI.good(), List.of("mail.test.example")),
        Arguments.of("127.0.0.1", null, PKI.ipSanOnly(), List.of()),
        Arguments.of("[::1]", null, PKI.ipSanOnly(), List.of()),
        Arguments.of("localhost", "127.0.0.1", PKI.ipSanOnly(), List.of()));
  }

  @ParameterizedTest(name = "openSecure(\"{0}:port\", true, {1}) sends SNI {3}")
  @MethodSource("sniCases")
  void openSecureSendsTheVerificationNameAsSni(String host, String verificationHost,
      TestIdentity identity, List<String> expectedSni) throws Exception {
    try (SniRecordingServer server = SniRecordingServer.tls(identity);
        SocketRegistry client = trustingClient()) {
      String name = host + ":" + server.port();
      client.openSecure(name, true, verificationHost);
      assertThat(client.tlsInfo(name).verifiedHost())
          .isEqualTo(verificationHost != null ? verificationHost : host.replaceAll("[\\[\\]]", ""));
      assertThat(server.nextRequestedNames()).isEqualTo(expectedSni);
    }
  }

  @Test
  void starttlsSendsTheVerificationHostAsSni() throws Exception {
    try (SniRecordingServer server = SniRecordingServer.starttls(PKI.good());
        SocketRegistry client = trustingClient()) {
      String name = "127.0.0.1:" + server.port();
      client.open(name);
      client.write(name, "STARTTLS\r\n");
      assertThat(client.read(name, Chunk.until("\r\n"))).isEqualTo("220 go ahead\r\n");
      client.secure(name, true, "mail.test.example");
      assertThat(client.tlsInfo(name).verifiedHost()).isEqualTo("mail.test.example");
      assertThat(server.nextRequestedNames()).containsExactly("mail.test.example");
    }
  }

  /**
   * A JDK TLS server (the JDK's provider, not Conscrypt) that records, for each connection, the SNI host names its client sent
   * ({@link ExtendedSSLSession#getRequestedServerNames()}), and then keeps the connection open.
   */
  private static final class SniRecordingServer implements AutoCloseable {
    private final ServerSocket listener;
    private final SSLContext context;
    private final boolean starttls;
    private final BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private SniRecordingServer(TestIdentity identity, boolean starttls) throws Exception {
      this.context = TlsPeers.jdkContext(identity, PKI);
      this.starttls = starttls;
      // every address, so "[::1]" and "localhost" reach it too
      this.listener = starttls ? new ServerSocket(0) : context.getServerSocketFactory().createServerSocket(0);
      Thread t = new Thread(this::acceptLoop, "sni-recording-" + listener.getLocalPort());
      t.setDaemon(true);
      t.start();
    }

    /** TLS from the first byte: a JDK {@link javax.net.ssl.SSLServerSocket}. */
    static SniRecordingServer tls(TestIdentity identity) throws Exception {
      return new SniRecordingServer(identity, false);
    }

    /** Reads {@code STARTTLS}, answers {@code 220 go ahead}, then runs the TLS server handshake. */
    static SniRecordingServer starttls(TestIdentity identity) throws Exception {
      return new SniRecordingServer(identity, true);
    }

    int port() {
      return listener.getLocalPort();
    }

    /** The SNI host names of the next handshake, in the order the client sent them. */
    List<String> nextRequestedNames() throws Exception {
      Object next = seen.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (next instanceof Exception e) {
        throw new AssertionError("the JDK server's handshake failed", e);
      }
      assertThat(next).as("a handshake within " + WAIT).isNotNull();
      @SuppressWarnings("unchecked")
      List<String> names = (List<String>) next;
      return names;
    }

    private void acceptLoop() {
      while (!listener.isClosed()) {
        try {
          Socket plain = listener.accept();
          open.add(plain);
          serve(plain);
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void serve(Socket plain) {
      try {
        if (starttls) {
          String line = LineServer.readLine(plain.getInputStream());
          if (!"STARTTLS".equals(line)) {
            throw new IOException("expected STARTTLS, saw " + line);
          }
          LineServer.writeLine(plain.getOutputStream(), "220 go ahead");
        }
        SSLSocket tls = plain instanceof SSLSocket accepted ? accepted
            : (SSLSocket) context.getSocketFactory().createSocket(plain, null, true); // server mode
        open.add(tls);
        tls.startHandshake();
        List<String> names = ((ExtendedSSLSession) tls.getSession()).getRequestedServerNames().stream()
            .map(SniRecordingServer::hostName).toList();
        seen.add(names);
      } catch (Exception e) {
        seen.add(e);
      }
    }

    private static String hostName(SNIServerName name) {
      return name instanceof SNIHostName host ? host.getAsciiName() : name.toString();
    }

    @Override
    public void close() throws IOException {
      listener.close();
      for (Socket s : open) {
        s.close();
      }
    }
  }

  // ---- sslCertificates sources ---------------------------------------------------------------

  @Test
  void aFolderHoldingTheRootIsTrusted(@TempDir Path folder) throws Exception {
    Files.copy(PKI.rootPem(), folder.resolve("root.pem"));
    try (SocketRegistry server = secureServer(); SocketRegistry client = new SocketRegistry()) {
      client.setSslCertificates(List.of(folder));
      String name = "localhost:" + server.accept(0, new RecordingListener(), true);
      client.openSecure(name, true, null);
      assertThat(client.tlsInfo(name).verified()).isTrue();
    }
  }

  @Test
  void aListOfFilesWhoseSecondIsTheRootIsTrusted() throws Exception {
    try (SocketRegistry server = secureServer(); SocketRegistry client = new SocketRegistry()) {
      client.setSslCertificates(List.of(PKI.otherRootPem(), PKI.rootPem(), PKI.selfSigned().chainPem()));
      String name = "localhost:" + server.accept(0, new RecordingListener(), true);
      client.openSecure(name, true, null);
      assertThat(client.tlsInfo(name).verified()).isTrue();
      assertThat(client.sslCertificates())
          .containsExactly(PKI.otherRootPem(), PKI.rootPem(), PKI.selfSigned().chainPem());
    }
  }

  @Test
  void aFolderWithoutTheRightRootIsNotTrusted(@TempDir Path folder) throws Exception {
    Files.copy(PKI.otherRootPem(), folder.resolve("other-root.pem"));
    Files.copy(PKI.selfSigned().chainPem(), folder.resolve("self-signed.crt"));
    Files.copy(PKI.rootPem(), folder.resolve("root.pem.txt")); // not a .pem/.crt/.cer file: not read
    try (SocketRegistry server = secureServer(); SocketRegistry client = new SocketRegistry()) {
      client.setSslCertificates(List.of(folder));
      String port = server.accept(0, new RecordingListener(), true);
      assertThatThrownBy(() -> client.openSecure("localhost:" + port, true, null))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessage("certificate not trusted: no path from CN=localhost to a trusted root;"
              + " the peer sent 2 certificate(s), the last issued by CN=sockscript test root"
              + " (an untrusted root, or an intermediate the peer did not send) (localhost:" + port + ")");
    }
  }

  private static SocketRegistry secureServer() throws Exception {
    SocketRegistry server = new SocketRegistry();
    server.setServerIdentity(PKI.good().chainPem(), PKI.good().keyPem());
    return server;
  }

  private static SocketRegistry trustingClient() throws Exception {
    SocketRegistry client = new SocketRegistry();
    client.setSslCertificates(List.of(PKI.rootPem()));
    return client;
  }
}
