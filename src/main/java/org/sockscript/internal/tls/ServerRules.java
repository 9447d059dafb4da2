package org.sockscript.internal.tls;

import org.sockscript.TlsOptions;

/** When options may not run a TLS server, and why: no identity, or client certificates with no roots to check them. */
final class ServerRules {

  private ServerRules() {}

  /** Throws IllegalStateException saying why {@code o} cannot run a TLS server now. */
  static void check(TlsOptions o) {
    if (!hasIdentity(o)) {
      throw new IllegalStateException("no server identity: call setServerIdentity(chainPem, keyPem)"
          + " before accepting or securing as a TLS server");
    }
    String refusal = clientCertificateRefusal(o);
    if (refusal != null) {
      throw new IllegalStateException(refusal);
    }
  }

  /** Whether {@code o} has a server identity (or a caller's context that supplies one). */
  static boolean hasIdentity(TlsOptions o) {
    return o.serverChain() != null || o.serverKeyStore() != null || o.sslContext() != null;
  }

  /** Client certificates are required, and no roots to check them against were chosen; null if not. */
  static String clientCertificateRefusal(TlsOptions o) {
    if (!o.requireClientCertificates() || (!o.roots().isEmpty() && !o.rootsAddToSystem())
        || o.sslContext() != null) {
      return null;
    }
    return "client certificates are required (setRequireClientCertificates(true)) but no roots are"
        + " set to check them against: call setSslCertificates(List.of(Path.of(\"client-ca.pem\")))"
        + " first (the JDK's default roots are never used for client certificates)";
  }
}
