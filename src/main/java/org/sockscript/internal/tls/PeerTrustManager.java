package org.sockscript.internal.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verification as DESIGN §4 asks. As a client: the server's chain must validate (PKIX, through
 * the JDK's trust manager) and its leaf must name the engine's peer host — the
 * {@code verificationHost}, else the socket's host, given to {@code createSSLEngine}. As a server
 * that requires client certificates: the client's chain must validate (a client has no name).
 *
 * <p>It is an {@link X509ExtendedTrustManager} on purpose: Conscrypt treats a plain
 * {@code X509TrustManager} differently, and the name check here must never depend on how the
 * engine was configured. Failures carry a reason ({@code certificate expired: ...},
 * {@code hostname mismatch: ...}).
 */
final class PeerTrustManager extends X509ExtendedTrustManager {

  private final X509ExtendedTrustManager pkix;
  private final boolean checksServers;

  private PeerTrustManager(X509ExtendedTrustManager pkix, boolean checksServers) {
    this.pkix = pkix;
    this.checksServers = checksServers;
  }

  /** For clients: checks servers' chains and names. */
  static PeerTrustManager forClients(X509ExtendedTrustManager pkix) {
    return new PeerTrustManager(pkix, true);
  }

  /** For servers requiring client certificates: checks clients' chains. */
  static PeerTrustManager forServers(X509ExtendedTrustManager pkix) {
    return new PeerTrustManager(pkix, false);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    if (!checksServers) {
      throw new CertificateException("a server's trust manager does not check servers");
    }
    try {
      pkix.checkServerTrusted(chain, jdkAuthType(authType), engine);
    } catch (CertificateException e) {
      throw CertificateProblems.explain(chain, e);
    }
    if (engine == null || engine.getPeerHost() == null) {
      throw new CertificateException("cannot verify the server's name: no expected host name");
    }
    HostnameMatcher.check(engine.getPeerHost(), chain[0]);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    if (checksServers) {
      throw new CertificateException("a client's trust manager does not check clients");
    }
    try {
      pkix.checkClientTrusted(chain, jdkAuthType(authType), engine);
    } catch (CertificateException e) {
      throw CertificateProblems.explain(chain, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    checkServerTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    checkClientTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }

  /**
   * Conscrypt reports TLS 1.3's key-agnostic auth type as {@code "GENERIC"}, which the JDK's
   * trust manager rejects ("Unknown authType"); the JDK's own name for it is {@code "UNKNOWN"}.
   */
  static String jdkAuthType(String authType) {
    return "GENERIC".equals(authType) ? "UNKNOWN" : authType;
  }
}
