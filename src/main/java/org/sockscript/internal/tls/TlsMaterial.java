package org.sockscript.internal.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.sockscript.TlsOptions;

/**
 * What a {@link TlsOptions} value shapes contexts with, read from its files once: the trust
 * manager over the chosen roots, the identities' key managers, a caller's context, and the
 * {@link SSLContext}s built from them on first use. Contexts own the client session caches, so
 * two connections can only ever resume each other's sessions when they share a material (equal
 * roots, identities, client-certificate rule and own context) and a verification mode, and then
 * only for the same verified name and port (Conscrypt's and the JDK's caches key by the engine's
 * host and port, the host being the verified name, which {@link TlsConfig} makes the SNI name).
 */
final class TlsMaterial {

  private static final char[] NO_PASSWORD = new char[0];

  final X509ExtendedTrustManager pkix;
  final boolean explicitRoots;
  final KeyManager[] serverKeys;
  final KeyManager[] clientKeys;
  final CallerContext custom;
  final boolean needClientAuth;
  private final Provider provider;
  private SSLContext verifying;
  private SSLContext accepting;
  private SSLContext server;

  TlsMaterial(TlsOptions options, Provider provider) throws IOException {
    this.provider = provider;
    this.pkix = pkixTrustManager(roots(options.roots(), options.rootsAddToSystem()));
    this.explicitRoots = !options.roots().isEmpty();
    this.serverKeys = options.serverChain() != null ? keyManagers(options.serverChain(), options.serverKey())
        : options.serverKeyStore() != null
        ? keyManagers(options.serverKeyStore(), options.serverKeyStorePassword()) : null;
    this.clientKeys = options.clientChain() != null ? keyManagers(options.clientChain(), options.clientKey()) : null;
    this.custom = options.sslContext() == null ? null : new CallerContext(options.sslContext());
    this.needClientAuth = options.requireClientCertificates();
  }

  /** The settings of {@code options} that this material is made from: equal keys, same material. */
  static List<Object> key(TlsOptions o) {
    return Arrays.asList(o.roots(), o.rootsAddToSystem(), o.serverChain(), o.serverKey(),
        o.serverKeyStore(), o.serverKeyStorePassword() == null ? null : new String(o.serverKeyStorePassword()),
        o.clientChain(), o.clientKey(), o.requireClientCertificates(), o.sslContext());
  }

  String providerName() {
    return custom != null ? custom.providerName() : provider != null ? provider.getName() : "SunJSSE";
  }

  /** The client context: verifying or accepting any chain; each has its own session cache. */
  synchronized SSLContext client(boolean verify) throws IOException {
    if (verify && verifying == null) {
      verifying = context(clientKeys, PeerTrustManager.forClients(pkix));
    } else if (!verify && accepting == null) {
      accepting = context(clientKeys, AcceptingTrustManager.INSTANCE);
    }
    return verify ? verifying : accepting;
  }

  synchronized SSLContext server() throws IOException {
    if (server == null) {
      server = context(serverKeys, needClientAuth ? PeerTrustManager.forServers(pkix)
          : AcceptingTrustManager.INSTANCE);
    }
    return server;
  }

  private SSLContext context(KeyManager[] keys, TrustManager trust) throws IOException {
    try {
      SSLContext context = provider != null ? SSLContext.getInstance("TLS", provider)
          : SSLContext.getInstance("TLS");
      context.init(keys, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** A key store of the roots to trust; null for the JDK's own. */
  private static KeyStore roots(List<Path> paths, boolean addToSystem) throws IOException {
    if (paths.isEmpty()) {
      return null;
    }
    List<X509Certificate> certs = new ArrayList<>(PemFiles.certificates(paths));
    if (certs.isEmpty()) {
      throw new IOException("no certificates found in " + paths);
    }
    if (addToSystem) { // the JDK's roots, as its trust store (or javax.net.ssl.trustStore) holds them now
      certs.addAll(Arrays.asList(pkixTrustManager(null).getAcceptedIssuers()));
    }
    KeyStore roots = emptyKeyStore();
    try {
      for (int i = 0; i < certs.size(); i++) {
        roots.setCertificateEntry("root-" + i, certs.get(i));
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use certificates from " + paths + ": " + e.getMessage(), e);
    }
    return roots;
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
