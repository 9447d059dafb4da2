package org.sockscript.internal.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One registry's TLS settings (trusted roots, identities, an optional caller-supplied context)
 * and the engines made from them. Contexts are built lazily and rebuilt after a setting changes;
 * the expected host travels in the engine itself, so a handful of contexts serve every socket.
 */
public final class TlsConfig {

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  private static final char[] NO_PASSWORD = new char[0];

  private final Provider provider = TlsProviders.choose();
  private volatile X509ExtendedTrustManager pkix;
  private volatile KeyManager[] serverKeys;
  private volatile KeyManager[] clientKeys;
  private volatile SSLContext custom;
  private volatile boolean needClientAuth;
  private volatile Contexts contexts;

  /** The contexts derived from the current settings. */
  private static final class Contexts {
    SSLContext verifying;
    SSLContext accepting;
    SSLContext server;
  }

  /** The provider's name: {@code "Conscrypt"} or the JDK's {@code "SunJSSE"}. */
  public String providerName() {
    SSLContext c = custom;
    return c != null ? c.getProvider().getName() : provider != null ? provider.getName() : "SunJSSE";
  }

  /** Whether server engines demand (and so verify) a client certificate. */
  public boolean requiresClientCertificates() {
    return needClientAuth;
  }

  /** Trust exactly the certificates in {@code paths}; an empty list means the JDK's default roots. */
  public synchronized void trust(List<Path> paths) throws IOException {
    KeyStore roots = null;
    if (!paths.isEmpty()) {
      List<X509Certificate> certs = PemFiles.certificates(paths);
      if (certs.isEmpty()) {
        throw new IOException("no certificates found in " + paths);
      }
      roots = emptyKeyStore();
      try {
        for (int i = 0; i < certs.size(); i++) {
          roots.setCertificateEntry("root-" + i, certs.get(i));
        }
      } catch (GeneralSecurityException e) {
        throw new IOException("cannot use certificates from " + paths + ": " + e.getMessage(), e);
      }
    }
    pkix = pkixTrustManager(roots);
    contexts = null;
  }

  /** The server's certificate chain (leaf first) and key, from PEM files. */
  public synchronized void serverIdentity(Path chainPem, Path keyPem) throws IOException {
    serverKeys = keyManagers(chainPem, keyPem);
    contexts = null;
  }

  /** The server's identity from a key store holding one key entry. */
  public synchronized void serverIdentity(KeyStore keyStore, char[] password) throws IOException {
    serverKeys = keyManagers(keyStore, password);
    contexts = null;
  }

  /** The certificate and key this registry presents as a TLS client (mutual TLS). */
  public synchronized void clientIdentity(Path chainPem, Path keyPem) throws IOException {
    clientKeys = keyManagers(chainPem, keyPem);
    contexts = null;
  }

  /** Whether secure listeners and server-side upgrades demand a verified client certificate. */
  public synchronized void requireClientCertificates(boolean required) {
    needClientAuth = required;
    contexts = null;
  }

  /** Use the caller's context for every engine (null restores the registry's own). */
  public synchronized void sslContext(SSLContext context) {
    custom = context;
  }

  /** Whether a server identity is set (or a caller's context supplies one). */
  public boolean hasServerIdentity() {
    return serverKeys != null || custom != null;
  }

  /** A client engine that verifies against {@code verificationHost} when {@code verify}. */
  public SSLEngine clientEngine(String verificationHost, int port, boolean verify) throws IOException {
    SSLContext context = custom != null ? custom : verify ? contexts().verifying : contexts().accepting;
    SSLEngine engine = context.createSSLEngine(verificationHost, port);
    engine.setUseClientMode(true);
    SSLParameters params = engine.getSSLParameters();
    params.setProtocols(PROTOCOLS);
    if (!HostnameMatcher.isIpLiteral(verificationHost)) {
      params.setServerNames(List.of(new SNIHostName(verificationHost)));
    }
    if (custom != null && verify) {
      params.setEndpointIdentificationAlgorithm("HTTPS"); // the caller's trust managers check the name
    }
    engine.setSSLParameters(params);
    return engine;
  }

  /** A server engine with this registry's identity. */
  public SSLEngine serverEngine() throws IOException {
    if (!hasServerIdentity()) {
      throw new IllegalStateException("no server identity: call setServerIdentity(chainPem, keyPem)"
          + " before accepting or securing as a TLS server");
    }
    SSLEngine engine = (custom != null ? custom : contexts().server).createSSLEngine();
    engine.setUseClientMode(false);
    SSLParameters params = engine.getSSLParameters();
    params.setProtocols(PROTOCOLS);
    if (needClientAuth) {
      params.setNeedClientAuth(true);
    }
    engine.setSSLParameters(params);
    return engine;
  }

  private synchronized Contexts contexts() throws IOException {
    if (contexts == null) {
      try {
        if (pkix == null) {
          pkix = pkixTrustManager(null);
        }
        Contexts c = new Contexts();
        c.verifying = context(clientKeys, PeerTrustManager.forClients(pkix));
        c.accepting = context(clientKeys, AcceptingTrustManager.INSTANCE);
        c.server = context(serverKeys, needClientAuth ? PeerTrustManager.forServers(pkix)
            : AcceptingTrustManager.INSTANCE);
        contexts = c;
      } catch (GeneralSecurityException e) {
        throw new IOException("cannot set up TLS: " + e.getMessage(), e);
      }
    }
    return contexts;
  }

  private SSLContext context(KeyManager[] keys, TrustManager trust) throws GeneralSecurityException {
    SSLContext context = provider != null ? SSLContext.getInstance("TLS", provider)
        : SSLContext.getInstance("TLS");
    context.init(keys, new TrustManager[] {trust}, null);
    return context;
  }

  private static X509ExtendedTrustManager pkixTrustManager(KeyStore roots) throws IOException {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(roots);
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager) {
          return (X509ExtendedTrustManager) tm;
        }
      }
      throw new IOException("the JDK offered no X509ExtendedTrustManager");
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot build a trust manager: " + e.getMessage(), e);
    }
  }

  private static KeyManager[] keyManagers(Path chainPem, Path keyPem) throws IOException {
    List<X509Certificate> chain = PemFiles.certificates(chainPem);
    PrivateKey key = PemFiles.privateKey(keyPem);
    KeyStore store = emptyKeyStore();
    try {
      store.setKeyEntry("identity", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
    } catch (GeneralSecurityException e) {
      throw new IOException("the key in " + keyPem + " does not go with the chain in " + chainPem
          + ": " + e.getMessage(), e);
    }
    return keyManagers(store, NO_PASSWORD);
  }

  private static KeyManager[] keyManagers(KeyStore store, char[] password) throws IOException {
    try {
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the key store: " + e.getMessage(), e);
    }
  }

  private static KeyStore emptyKeyStore() throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      return store;
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }
}
