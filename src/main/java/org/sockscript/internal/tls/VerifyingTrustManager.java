package org.sockscript.internal.tls;

import java.net.Socket;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verification as DESIGN §4 asks: the chain must validate (PKIX, through the JDK's trust manager)
 * and the leaf must name the engine's peer host (the {@code verificationHost}, else the socket's
 * host, given to {@code createSSLEngine}). It is an {@link X509ExtendedTrustManager} on
 * purpose: Conscrypt treats a plain {@code X509TrustManager} differently, and the name check
 * here must never depend on how the engine was configured. Failures are rethrown with a reason
 * a person can act on ({@code certificate expired: ...}, {@code hostname mismatch: ...}).
 */
final class VerifyingTrustManager extends X509ExtendedTrustManager {

  private final X509ExtendedTrustManager pkix;

  VerifyingTrustManager(X509ExtendedTrustManager pkix) {
    this.pkix = pkix;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      pkix.checkServerTrusted(chain, jdkAuthType(authType), engine);
    } catch (CertificateException e) {
      throw explain(chain, e);
    }
    if (engine == null || engine.getPeerHost() == null) {
      throw new CertificateException("cannot verify the server's name: no expected host name");
    }
    HostnameMatcher.check(engine.getPeerHost(), chain[0]);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      pkix.checkClientTrusted(chain, jdkAuthType(authType), engine);
    } catch (CertificateException e) {
      throw explain(chain, e);
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

  /** Turns the JDK's PKIX failure into a reason that names the certificate and the problem. */
  static CertificateException explain(X509Certificate[] chain, CertificateException e) {
    Date now = Date.from(Instant.now());
    for (Throwable t = e; t != null; t = t.getCause()) {
      boolean expired = t instanceof CertificateExpiredException || (t instanceof CertPathValidatorException
          && ((CertPathValidatorException) t).getReason() == CertPathValidatorException.BasicReason.EXPIRED);
      boolean early = t instanceof CertificateNotYetValidException || (t instanceof CertPathValidatorException
          && ((CertPathValidatorException) t).getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID);
      for (X509Certificate c : chain) {
        if (expired && c.getNotAfter().before(now)) {
          return withCause("certificate expired: " + subject(c) + " expired at "
              + c.getNotAfter().toInstant(), e);
        }
        if (early && c.getNotBefore().after(now)) {
          return withCause("certificate not yet valid: " + subject(c) + " is valid from "
              + c.getNotBefore().toInstant(), e);
        }
      }
    }
    X509Certificate last = chain[chain.length - 1];
    String text = String.valueOf(e.getMessage());
    if (text.contains("certification path") || text.contains("PKIX path building")) {
      if (chain.length == 1 && last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
        return withCause("certificate not trusted: " + subject(last) + " is self-signed and not among"
            + " the trusted certificates", e);
      }
      return withCause("certificate not trusted: no path from " + subject(chain[0]) + " to a trusted"
          + " root; the peer sent " + chain.length + " certificate(s), the last issued by "
          + last.getIssuerX500Principal().getName()
          + " (an untrusted root, or an intermediate the peer did not send)", e);
    }
    return withCause("certificate not trusted: " + text, e);
  }

  /**
   * Conscrypt reports TLS 1.3's key-agnostic auth type as {@code "GENERIC"}, which the JDK's
   * trust manager rejects ("Unknown authType"); the JDK's own name for it is {@code "UNKNOWN"}.
   */
  static String jdkAuthType(String authType) {
    return "GENERIC".equals(authType) ? "UNKNOWN" : authType;
  }

  private static String subject(X509Certificate c) {
    return c.getSubjectX500Principal().getName();
  }

  private static CertificateException withCause(String message, Throwable cause) {
    return new CertificateException(message, cause);
  }
}
