package org.sockscript.internal.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The caller's trust manager, asked again with the JDK's name for TLS 1.3's auth type
 * ({@code "UNKNOWN"}) when it refuses Conscrypt's ({@code "GENERIC"}).
 */
final class GenericAuthTypeTrustManager extends X509ExtendedTrustManager {

  private final X509TrustManager trust;

  GenericAuthTypeTrustManager(X509TrustManager trust) {
    this.trust = trust;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      check(chain, authType, engine);
    } catch (CertificateException e) {
      String jdk = PeerTrustManager.jdkAuthType(authType);
      if (jdk.equals(authType) || !String.valueOf(e.getMessage()).contains(authType)) {
        throw e;
      }
      check(chain, jdk, engine);
    }
  }

  private void check(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    if (trust instanceof X509ExtendedTrustManager) {
      ((X509ExtendedTrustManager) trust).checkServerTrusted(chain, authType, engine);
    } else {
      trust.checkServerTrusted(chain, authType);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    checkServerTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("a client's trust manager does not check clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    checkClientTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return trust.getAcceptedIssuers();
  }
}
