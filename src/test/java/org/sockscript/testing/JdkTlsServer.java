package org.sockscript.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server on the JDK's own provider for one connection on loopback, running a test's peer
 * code with the TLS socket and the TCP socket under it (to cut it without a close_notify).
 */
public final class JdkTlsServer implements AutoCloseable {

  /** What the server does with its one connection. */
  public interface Peer {
    void run(SSLSocket tls, Socket tcp) throws Exception;
  }

  private final ServerSocket listening;

  private JdkTlsServer(ServerSocket listening) {
    this.listening = listening;
  }

  /** Starts serving one connection with {@code pki.good()}'s identity. */
  public static JdkTlsServer serve(TestPki pki, Peer peer) throws IOException {
    ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread server = new Thread(() -> {
      try (Socket tcp = listening.accept();
          SSLSocket tls = (SSLSocket) TlsPeers.jdkContext(pki.good(), pki).getSocketFactory()
              .createSocket(tcp, null, tcp.getPort(), false)) {
        tls.setUseClientMode(false);
        peer.run(tls, tcp);
      } catch (Exception e) {
        // the client went away: the test's assertions say whether that was expected
      }
    }, "jdk-tls-peer");
    server.setDaemon(true);
    server.start();
    return new JdkTlsServer(listening);
  }

  /** The socket name a client opens: {@code localhost:port}. */
  public String name() {
    return "localhost:" + listening.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    listening.close();
  }
}
