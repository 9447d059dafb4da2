package org.sockscript.testing;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS peers built on the JDK's own provider, so sockscript (on Conscrypt) is tested against an
 * implementation it does not share code with.
 */
public final class TlsPeers {

  private TlsPeers() {}

  /** A JDK context presenting {@code identity} and trusting the test root. */
  public static SSLContext jdkContext(TestIdentity identity, TestPki pki) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(identity == null ? null : identity.keyStore(), TestIdentity.PASSWORD);
    KeyStore roots = KeyStore.getInstance("PKCS12");
    roots.load(null, null);
    roots.setCertificateEntry("root", pki.root());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(roots);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(identity == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  /**
   * Turns {@code plain} into a TLS server with {@code identity} and runs the handshake; returns
   * quietly if the handshake fails (tests that use this expect the client to fail it).
   */
  public static void serverHandshake(Socket plain, TestIdentity identity) throws Exception {
    SSLSocket tls = (SSLSocket) jdkContext(identity, TestPki.get()).getSocketFactory()
        .createSocket(plain, null, plain.getPort(), false);
    tls.setUseClientMode(false);
    try {
      tls.startHandshake();
    } catch (IOException expected) {
      // the client rejected us, which is what these tests look for
    }
  }

  /**
   * A STARTTLS client that pipelines: its first TCP write carries {@code "STARTTLS\r\n"} and the
   * ClientHello together; it then skips the server's plaintext reply line before reading TLS.
   */
  public static PipeliningClient pipeliningStarttlsClient(int port, TestPki pki) throws Exception {
    PipeliningClient raw = new PipeliningClient();
    raw.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    raw.setTcpNoDelay(true);
    SSLSocket tls = (SSLSocket) jdkContext(null, pki).getSocketFactory()
        .createSocket(raw, "localhost", port, true);
    tls.setUseClientMode(true);
    raw.tls = tls;
    tls.startHandshake();
    return raw;
  }

  /** The plain socket under a pipelining STARTTLS client; {@link #tls} is the layered socket. */
  public static final class PipeliningClient extends Socket {
    private final ByteArrayOutputStream firstWrite = new ByteArrayOutputStream();
    private SSLSocket tls;
    private OutputStream out;
    private InputStream in;

    public SSLSocket tls() {
      return tls;
    }

    /** The bytes of the first write() on the TCP socket: STARTTLS and the ClientHello. */
    public byte[] firstWrite() {
      return firstWrite.toByteArray();
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      if (out == null) {
        OutputStream raw = super.getOutputStream();
        out = new OutputStream() {
          private boolean first = true;

          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            if (first) {
              first = false;
              firstWrite.write("STARTTLS\r\n".getBytes(StandardCharsets.ISO_8859_1));
              firstWrite.write(b, off, len);
              raw.write(firstWrite.toByteArray()); // one write: one segment on loopback
            } else {
              raw.write(b, off, len);
            }
          }

          @Override
          public void flush() throws IOException {
            raw.flush();
          }
        };
      }
      return out;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (in == null) {
        in = new FilterInputStream(super.getInputStream()) {
          private boolean replySkipped;

          private void skipReply() throws IOException {
            if (!replySkipped) {
              replySkipped = true;
              String reply = LineServer.readLine(super.in);
              if (reply == null || !reply.startsWith("220")) {
                throw new IOException("expected a 220 reply to STARTTLS, saw " + reply);
              }
            }
          }

          @Override
          public int read() throws IOException {
            skipReply();
            return super.read();
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            skipReply();
            return super.read(b, off, len);
          }
        };
      }
      return in;
    }
  }
}
