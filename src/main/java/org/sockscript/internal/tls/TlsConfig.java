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
import javax.net.ssl.SNIServerName;
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
 *
 * <p>Every setting is read and written under this object's lock, and an engine is made under it
 * too: each connection's engine, and what its {@link TlsEngine} says was checked, come from one
 * reading of the settings, so a setting changed while a connection is being accepted or secured
 * applies to it whole or not at all.
 */
public final class TlsConfig {

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  private static final char[] NO_PASSWORD = new char[0];

  private final Provider provider = TlsProviders.choose();
  private X509ExtendedTrustManager pkix;
  private boolean explicitRoots;
  private KeyManager[] serverKeys;
  private KeyManager[] clientKeys;
  private CallerContext custom;
  private boolean needClientAuth;
  private Contexts contexts;

  /** The contexts derived from the current settings. */
  private static final class Contexts {
    SSLContext verifying;
    SSLContext accepting;
    SSLContext server;
  }

  /** The provider's name: {@code "Conscrypt"} or the JDK's {@code "SunJSSE"}. */
  private synchronized String providerName() {
    return custom != null ? custom.providerName() : provider != null ? provider.getName() : "SunJSSE";
  }

  /** Trust exactly the certificates in {@code paths}; an empty list means the JDK's default roots. */
  public void trust(List<Path> paths) throws IOException {
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
    X509ExtendedTrustManager trust = pkixTrustManager(roots);
    synchronized (this) {
      pkix = trust;
      explicitRoots = roots != null;
      contexts = null;
    }
  }

  /** The server's certificate chain (leaf first) and key, from PEM files. */
  public void serverIdentity(Path chainPem, Path keyPem) throws IOException {
    KeyManager[] keys = keyManagers(chainPem, keyPem);
    synchronized (this) {
      serverKeys = keys;
      contexts = null;
    }
  }

  /** The server's identity from a key store holding one key entry. */
  public void serverIdentity(KeyStore keyStore, char[] password) throws IOException {
    KeyManager[] keys = keyManagers(keyStore, password);
    synchronized (this) {
      serverKeys = keys;
      contexts = null;
    }
  }

  /** The certificate and key this registry presents as a TLS client (mutual TLS). */
  public void clientIdentity(Path chainPem, Path keyPem) throws IOException {
    KeyManager[] keys = keyManagers(chainPem, keyPem);
    synchronized (this) {
      clientKeys = keys;
      contexts = null;
    }
  }

  /** Whether secure listeners and server-side upgrades demand a verified client certificate. */
  public synchronized void requireClientCertificates(boolean required) {
    needClientAuth = required;
    contexts = null;
  }

  /** Use the caller's context for every engine (null restores the registry's own); see {@link CallerContext}. */
  public synchronized void sslContext(SSLContext context) {
    custom = context == null ? null : new CallerContext(context);
  }

  /** Whether a server identity is set (or a caller's context supplies one). */
  public synchronized boolean hasServerIdentity() {
    return serverKeys != null || custom != null;
  }

  /**
   * Why a TLS server of this registry may not start now because of how client certificates
   * would be checked, or null if it may: client certificates are required, and no roots to
   * check them against were chosen (the JDK's public roots are never used for them).
   */
  public synchronized String clientCertificateRefusal() {
    if (!needClientAuth || explicitRoots || custom != null) {
      return null;
    }
    return "client certificates are required (setRequireClientCertificates(true)) but no roots are"
        + " set to check them against: call setSslCertificates(List.of(Path.of(\"client-ca.pem\")))"
        + " first (the JDK's default roots are never used for client certificates)";
  }

  /** Throws IllegalStateException, its message starting with {@code what}, for {@link #clientCertificateRefusal()}. */
  public void checkClientCertificateRoots(String what) {
    String refusal = clientCertificateRefusal();
    if (refusal != null) {
      throw new IllegalStateException(what + refusal);
    }
  }

  /**
   * A client engine for the socket's host {@code socketHost}, verifying against
   * {@code verificationHost} (else {@code socketHost}) when {@code verify}. Refuses a blank
   * {@code verificationHost}, and {@code verify == false} with a caller's context, before any I/O.
   */
  public synchronized TlsEngine clientEngine(String verificationHost, String socketHost, int port,
      boolean verify) throws IOException {
    String host = verificationHost != null ? ServerNames.checkVerificationHost(verificationHost) : socketHost;
    String name = ServerNames.withoutTrailingDot(host);
    List<SNIServerName> sni = ServerNames.sni(name, verificationHost != null ? "verificationHost" : "the socket's host");
    if (custom != null && !verify) {
      throw new IllegalStateException(CallerContext.unverifiedRefusal());
    }
    SSLEngine engine = custom != null ? custom.clientEngine(name, port)
        : (verify ? contexts().verifying : contexts().accepting).createSSLEngine(name, port);
    engine.setUseClientMode(true);
    SSLParameters params = engine.getSSLParameters();
    params.setProtocols(PROTOCOLS);
    params.setServerNames(sni);
    params.setEndpointIdentificationAlgorithm(null); // names are checked by the library (see CallerContext)
    engine.setSSLParameters(params);
    return new TlsEngine(engine, verify, verify ? host : null, providerName(),
        custom != null ? name : null);
  }

  /**
   * A server engine with this registry's identity.
   *
   * @throws IllegalStateException if there is no server identity, client certificates are
   *     required without chosen roots ({@link #clientCertificateRefusal()}), or TLS cannot be set up
   */
  public synchronized TlsEngine serverEngine() {
    if (!hasServerIdentity()) {
      throw new IllegalStateException("no server identity: call setServerIdentity(chainPem, keyPem)"
          + " before accepting or securing as a TLS server");
    }
    String refusal = clientCertificateRefusal();
    if (refusal != null) {
      throw new IllegalStateException(refusal);
    }
    SSLEngine engine;
    try {
      engine = custom != null ? custom.serverEngine() : contexts().server.createSSLEngine();
    } catch (IOException e) {
      throw new IllegalStateException("cannot make a TLS server engine: " + e.getMessage(), e);
    }
    engine.setUseClientMode(false);
    SSLParameters params = engine.getSSLParameters();
    params.setProtocols(PROTOCOLS);
    if (needClientAuth) {
      params.setNeedClientAuth(true);
    }
    engine.setSSLParameters(params);
    return new TlsEngine(engine, needClientAuth, null, providerName(), null);
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
