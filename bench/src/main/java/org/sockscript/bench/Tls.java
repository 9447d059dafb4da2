package org.sockscript.bench;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.Socket;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.conscrypt.Conscrypt;
import org.sockscript.SocketRegistry;
import org.sockscript.TlsInfo;

/**
 * TLS set-up for every variant, all with the same run-time EC P-256 PKI, all verifying the chain
 * and the name {@code localhost}, all ending on TLS 1.3 with TLS_AES_128_GCM_SHA256 (checked by
 * {@link #check}).
 */
final class Tls {

  static final String PROTOCOL = "TLSv1.3";
  static final String CIPHER = "TLS_AES_128_GCM_SHA256";
  private static final char[] PASSWORD = "bench".toCharArray();

  /** Conscrypt as a plain JCA provider, for Netty's JDK SslProvider. */
  static final Provider CONSCRYPT = Conscrypt.newProvider();

  /** Counts full certificate checks, to prove no handshake was a resumption. */
  static final AtomicInteger SERVER_CHECKS = new AtomicInteger();

  private Tls() {}

  // ---- sockscript ---------------------------------------------------------------------------

  static SocketRegistry sockscriptServer(Pki pki) throws Exception {
    SocketRegistry r = new SocketRegistry();
    r.setServerIdentity(pki.chainPem, pki.keyPem);
    return r;
  }

  /** A client whose every handshake is a full one (resumption off), for the full-handshake figures. */
  static SocketRegistry sockscriptClient(Pki pki) throws Exception {
    SocketRegistry r = sockscriptResumingClient(pki);
    r.setTlsOptions(r.tlsOptions().toBuilder().sessionResumption(false).build());
    return r;
  }

  /** A client with the default settings: it resumes the sessions of the servers it saw. */
  static SocketRegistry sockscriptResumingClient(Pki pki) throws Exception {
    SocketRegistry r = new SocketRegistry();
    r.setSslCertificates(List.of(pki.caPem));
    return r;
  }

  static void check(String variant, TlsInfo info) {
    check(variant, info.protocol(), info.cipherSuite());
  }

  // ---- Netty: JDK SslProvider over the Conscrypt Provider -------------------------------------

  static SslContext nettyServer(Pki pki) throws Exception {
    return SslContextBuilder.forServer(pki.key, pki.leaf, pki.ca)
        .sslProvider(SslProvider.JDK).sslContextProvider(CONSCRYPT)
        .protocols("TLSv1.3", "TLSv1.2").build();
  }

  static SslContext nettyClient(Pki pki) throws Exception {
    return SslContextBuilder.forClient()
        .sslProvider(SslProvider.JDK).sslContextProvider(CONSCRYPT)
        .trustManager(counting(pki))
        .protocols("TLSv1.3", "TLSv1.2").build();
  }

  /** A client SslHandler that checks the name {@code localhost}, as the other clients do. */
  static SslHandler nettyClientHandler(SslContext ctx, Channel ch, int port) {
    return nettyClientHandler(ctx, ch, port, false);
  }

  /**
   * As above; with {@code tickets}, Conscrypt's engine takes TLS 1.3 tickets (off by default), so
   * the context's session cache can resume.
   */
  static SslHandler nettyClientHandler(SslContext ctx, Channel ch, int port, boolean tickets) {
    SslHandler h = ctx.newHandler(ch.alloc(), Pki.HOST, port);
    SSLEngine engine = h.engine();
    if (tickets) {
      Conscrypt.setUseSessionTickets(engine, true);
    }
    SSLParameters p = engine.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(p);
    return h;
  }

  static void check(String variant, SSLSession s) {
    check(variant, s.getProtocol(), s.getCipherSuite());
  }

  // ---- the JDK's own SSLSocket (SunJSSE) ------------------------------------------------------

  static SSLContext jdkServerContext(Pki pki) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(pki.identityStore(PASSWORD), PASSWORD);
    SSLContext c = SSLContext.getInstance("TLS", "SunJSSE");
    c.init(kmf.getKeyManagers(), null, null);
    return c;
  }

  static SSLContext jdkClientContext(Pki pki) throws Exception {
    SSLContext c = SSLContext.getInstance("TLS", "SunJSSE");
    c.init(null, new TrustManager[] {counting(pki)}, null);
    return c;
  }

  /** The JDK prefers AES-256 by default: pin the suite of this run. */
  static void configure(SSLServerSocket s) {
    s.setEnabledProtocols(new String[] {PROTOCOL});
    s.setEnabledCipherSuites(new String[] {CIPHER});
  }

  /** A client SSLSocket over a connected {@code plain} socket, verifying {@code localhost}. */
  static SSLSocket jdkClient(SSLContext ctx, Socket plain) throws Exception {
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, Pki.HOST, plain.getPort(), true);
    SSLParameters p = s.getSSLParameters();
    p.setProtocols(new String[] {PROTOCOL});
    p.setCipherSuites(new String[] {CIPHER});
    p.setEndpointIdentificationAlgorithm("HTTPS");
    s.setSSLParameters(p);
    return s;
  }

  // ---- shared ---------------------------------------------------------------------------------

  private static void check(String variant, String protocol, String cipher) {
    if (!PROTOCOL.equals(protocol) || !CIPHER.equals(cipher)) {
      throw new IllegalStateException(variant + " negotiated " + protocol + " " + cipher
          + ", expected " + PROTOCOL + " " + CIPHER);
    }
  }

  /** Conscrypt says GENERIC for TLS 1.3, which the JDK's PKIX checker rejects (sockscript maps it too). */
  private static String jdkAuthType(String authType) {
    return "GENERIC".equals(authType) ? "UNKNOWN" : authType;
  }

  /** The JDK's PKIX trust manager for the run's CA, counting full server-certificate checks. */
  static X509ExtendedTrustManager counting(Pki pki) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(pki.trustStore());
    X509ExtendedTrustManager pkix = null;
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager) {
        pkix = (X509ExtendedTrustManager) tm;
      }
    }
    X509ExtendedTrustManager d = pkix;
    return new X509ExtendedTrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
        d.checkClientTrusted(c, a, s);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
        SERVER_CHECKS.incrementAndGet();
        d.checkServerTrusted(c, a, s);
      }

      @Override
      public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
        d.checkClientTrusted(c, jdkAuthType(a), e);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
        SERVER_CHECKS.incrementAndGet();
        d.checkServerTrusted(c, jdkAuthType(a), e);
      }

      @Override
      public void checkClientTrusted(X509Certificate[] c, String a) throws CertificateException {
        d.checkClientTrusted(c, a);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException {
        SERVER_CHECKS.incrementAndGet();
        d.checkServerTrusted(c, a);
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return d.getAcceptedIssuers();
      }
    };
  }
}
