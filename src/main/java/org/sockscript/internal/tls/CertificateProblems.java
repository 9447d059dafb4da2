package org.sockscript.internal.tls;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.apache.commons.lang3.exception.ExceptionUtils;

/** Words a failed chain check as a reason a person can act on, naming the certificate. */
final class CertificateProblems {

  private CertificateProblems() {}

  /** Turns the JDK's PKIX failure into a reason that names the certificate and the problem. */
  static CertificateException explain(X509Certificate[] chain, CertificateException e) {
    Date now = Date.from(Instant.now());
    for (Throwable t : ExceptionUtils.getThrowableList(e)) { // (stops at a cause that loops back)
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

  private static String subject(X509Certificate c) {
    return c.getSubjectX500Principal().getName();
  }

  private static CertificateException withCause(String message, Throwable cause) {
    return new CertificateException(message, cause);
  }
}
