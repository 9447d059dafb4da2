package org.sockscript.testing;

import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * {@link SSLContext}s as a caller would build them for {@code setSslContext}: on Conscrypt or on
 * the JDK's provider (SunJSSE), trusting the test root through the JDK's PKIX trust manager, or
 * through a plain {@link X509TrustManager} in front of it (as many hand-written ones are).
 */
public final class CallerContexts {

  private CallerContexts() {}

  /** A client context of {@code provider} ("Conscrypt" or "SunJSSE") trusting the test root via PKIX. */
  public static SSLContext pkix(String provider, TestPki pki) throws Exception {
    return context(provider, pkixTrustManager(pki));
  }

  /** As {@link #pkix}, but behind a plain X509TrustManager (not an X509ExtendedTrustManager). */
  public static SSLContext plainTrustManager(String provider, TestPki pki) throws Exception {
    X509TrustManager pkix = pkixTrustManager(pki);
    return context(provider, new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkServerTrusted(chain, "GENERIC".equals(authType) ? "UNKNOWN" : authType);
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
      }
    });
  }

  private static SSLContext context(String provider, TrustManager trust) throws Exception {
    SSLContext context = provider.equals("SunJSSE") ? SSLContext.getInstance("TLS")
        : SSLContext.getInstance("TLS", conscrypt());
    context.init(null, new TrustManager[] {trust}, null);
    return context;
  }

  /** The JDK's PKIX trust manager, trusting only the test root. */
  private static X509TrustManager pkixTrustManager(TestPki pki) throws Exception {
    KeyStore roots = KeyStore.getInstance("PKCS12");
    roots.load(null, null);
    roots.setCertificateEntry("root", pki.root());
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(roots);
    return (X509TrustManager) factory.getTrustManagers()[0];
  }

  /**
   * {@code Conscrypt.newProvider()}, as a caller would call it; reflectively, because only the
   * library's {@code internal.tls} package imports {@code org.conscrypt}.
   */
  private static Provider conscrypt() throws Exception {
    return (Provider) Class.forName("org.conscrypt.Conscrypt").getMethod("newProvider").invoke(null);
  }
}
