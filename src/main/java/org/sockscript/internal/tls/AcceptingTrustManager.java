package org.sockscript.internal.tls;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts any peer: what {@code secure(socket, false, null)} asks for. The socket's
 * {@code TlsInfo} then says it is unverified, so nothing downstream can mistake it for checked.
 */
final class AcceptingTrustManager extends X509ExtendedTrustManager {

  static final AcceptingTrustManager INSTANCE = new AcceptingTrustManager();

  private static final X509Certificate[] NONE = new X509Certificate[0];

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NONE;
  }
}
