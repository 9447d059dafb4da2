package org.sockscript.internal.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.conscrypt.Conscrypt;
import org.sockscript.TlsOptions;

/**
 * One registry's TLS settings, a {@link TlsOptions} value, and the engines made from them.
 * Contexts ({@link TlsMaterial}) are built from the files once per value and shared by every
 * socket; the expected host travels in the engine itself. Options given to one call get their own
 * material unless theirs equals the registry's (then they share its contexts and sessions).
 *
 * <p><b>Resumption.</b> The session caches are the contexts' own, keyed by the engine's host and
 * port: the host is the name verified and sent as SNI, the port the socket's. So a session is only
 * offered to the same name and port, under the same verification mode (verifying and accepting
 * contexts are separate) and the same roots and identities. With resumption off, each engine gets
 * a port no other will ever have, and its session is forgotten when the handshake ends. Explicit
 * reuse ({@link #clientEngineResuming}) makes an engine with another engine's cache key.
 *
 * <p>Every setting is read and written under this object's lock, and an engine is made under it
 * too: each connection's engine comes from one reading of the settings.
 */
public final class TlsConfig {

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final Provider provider = TlsProviders.choose();
  private final Object updates = new Object();
  /** Cache ports below every real one, one per engine that must not resume or be resumed (the caches are this registry's own). */
  private final AtomicInteger unsharedPorts = new AtomicInteger();
  private TlsOptions options = TlsOptions.DEFAULT;
  private TlsMaterial material;
  /** Materials of options given to single calls, the few most recent. */
  private final Map<List<Object>, TlsMaterial> others = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<List<Object>, TlsMaterial> eldest) {
      return size() > 4;
    }
  };

  /** The registry's options. */
  public synchronized TlsOptions options() {
    return options;
  }

  /** Sets the registry's options, reading their files now (their contexts are kept if unchanged). */
  public void options(TlsOptions next) throws IOException {
    synchronized (updates) {
      TlsMaterial m;
      synchronized (this) {
        m = material != null && TlsMaterial.key(options).equals(TlsMaterial.key(next)) ? material : null;
      }
      if (m == null) {
        m = new TlsMaterial(next, provider);
      }
      synchronized (this) {
        options = next;
        material = m;
      }
    }
  }

  /** Changes the registry's options with {@code change} applied to a builder of the current ones. */
  public void update(UnaryOperator<TlsOptions.Builder> change) throws IOException {
    synchronized (updates) {
      options(change.apply(options().toBuilder()).build());
    }
  }

  /** Trust exactly the certificates in {@code paths}; an empty list means the JDK's default roots. */
  public void trust(List<Path> paths) throws IOException {
    update(b -> b.trustOnly(paths));
  }

  /** The server's certificate chain (leaf first) and key, from PEM files. */
  public void serverIdentity(Path chainPem, Path keyPem) throws IOException {
    update(b -> b.serverIdentity(chainPem, keyPem));
  }

  /** The server's identity from a key store holding one key entry. */
  public void serverIdentity(KeyStore keyStore, char[] password) throws IOException {
    update(b -> b.serverIdentity(keyStore, password));
  }

  /** The certificate and key this registry presents as a TLS client (mutual TLS). */
  public void clientIdentity(Path chainPem, Path keyPem) throws IOException {
    update(b -> b.clientIdentity(chainPem, keyPem));
  }

  /** Whether secure listeners and server-side upgrades demand a verified client certificate. */
  public void requireClientCertificates(boolean required) {
    unchecked(b -> b.requireClientCertificates(required));
  }

  /** Use the caller's context for every engine (null restores the registry's own); see {@link CallerContext}. */
  public void sslContext(SSLContext context) {
    unchecked(b -> b.sslContext(context));
  }

  /**
   * Throws IllegalStateException naming {@code what} if {@code call}'s options (null: the
   * registry's) cannot run a TLS server: no identity, or client certificates without roots.
   */
  public void checkServer(String what, TlsOptions call) {
    TlsOptions o = call != null ? call : options();
    if (!ServerRules.hasIdentity(o)) {
      throw new IllegalStateException(what + " needs a server identity: call setServerIdentity(chainPem, keyPem) first");
    }
    String refusal = ServerRules.clientCertificateRefusal(o);
    if (refusal != null) {
      throw new IllegalStateException(what + ": " + refusal);
    }
  }

  /**
   * A client engine for the socket's host {@code socketHost}, verifying against
   * {@code verificationHost} (else {@code socketHost}) when {@code verify}, with {@code call}'s
   * options (null: the registry's). Refuses a blank {@code verificationHost}, and
   * {@code verify == false} with a caller's context, before any I/O.
   */
  public synchronized TlsEngine clientEngine(String verificationHost, String socketHost, int port,
      boolean verify, TlsOptions call) throws IOException {
    String host = verificationHost != null ? ServerNames.checkVerificationHost(verificationHost) : socketHost;
    String name = ServerNames.withoutTrailingDot(host);
    TlsOptions o = call != null ? call : options;
    TlsMaterial m = materialFor(o);
    if (m.custom != null && !verify) {
      throw new IllegalStateException(CallerContext.unverifiedRefusal());
    }
    int cachePort = o.sessionResumption() ? port : -1 - (unsharedPorts.getAndIncrement() & 0x3fffffff);
    SSLEngine engine = m.custom != null ? m.custom.clientEngine(name, cachePort)
        : m.client(verify).createSSLEngine(name, cachePort);
    configureClient(engine, ServerNames.sni(name, verificationHost != null ? "verificationHost" : "the socket's host"), o);
    return new TlsEngine(engine, verify, verify ? host : null, m.providerName(),
        m.custom != null ? name : null, o, name, m, cachePort);
  }

  /**
   * A client engine that offers {@code other}'s session (FTPS data connections): same material,
   * verification, name and options, and {@code other}'s cache key, so the session {@code other}
   * made is the one offered. If the server will not resume, the full handshake verifies as
   * {@code other} did.
   */
  public synchronized TlsEngine clientEngineResuming(TlsEngine other) throws IOException {
    if (other.name == null) {
      throw new IllegalStateException("only a client's session can be resumed; the other socket is a TLS server");
    }
    TlsMaterial m = other.material;
    SSLEngine engine = m.custom != null ? m.custom.clientEngine(other.name, other.cachePort)
        : m.client(other.verified()).createSSLEngine(other.name, other.cachePort);
    configureClient(engine, ServerNames.sni(other.name, "the other socket's name"), other.options());
    return new TlsEngine(engine, other.verified(), other.verifiedHost(), m.providerName(),
        m.custom != null ? other.name : null, other.options(), other.name, m, other.cachePort);
  }

  /**
   * A server engine with this registry's identity, or {@code call}'s options (null: the registry's).
   *
   * @throws IllegalStateException if there is no server identity, client certificates are
   *     required without chosen roots ({@link #clientCertificateRefusal()}), or TLS cannot be set up
   */
  public synchronized TlsEngine serverEngine(TlsOptions call) {
    TlsOptions o = call != null ? call : options;
    ServerRules.check(o);
    SSLEngine engine;
    TlsMaterial m;
    try {
      m = materialFor(o);
      engine = m.custom != null ? m.custom.serverEngine() : m.server().createSSLEngine();
    } catch (IOException e) {
      throw new IllegalStateException("cannot make a TLS server engine: " + e.getMessage(), e);
    }
    engine.setUseClientMode(false);
    SSLParameters params = engine.getSSLParameters();
    params.setProtocols(PROTOCOLS);
    if (m.needClientAuth) {
      params.setNeedClientAuth(true);
    }
    engine.setSSLParameters(params);
    useTickets(engine, o.sessionResumption());
    return new TlsEngine(engine, m.needClientAuth, null, m.providerName(), null, o, null, m, -1);
  }

  private TlsMaterial materialFor(TlsOptions o) throws IOException {
    if (o == options) {
      if (material == null) {
        material = new TlsMaterial(options, provider);
      }
      return material;
    }
    List<Object> key = TlsMaterial.key(o);
    if (material != null && key.equals(TlsMaterial.key(options))) {
      return material;
    }
    TlsMaterial m = others.get(key);
    if (m == null) {
      m = new TlsMaterial(o, provider);
      others.put(key, m);
    }
    return m;
  }

  private static void configureClient(SSLEngine engine, List<SNIServerName> sni, TlsOptions o) {
    engine.setUseClientMode(true);
    SSLParameters params = engine.getSSLParameters();
    params.setProtocols(PROTOCOLS);
    params.setServerNames(sni);
    params.setEndpointIdentificationAlgorithm(null); // names are checked by the library (see CallerContext)
    engine.setSSLParameters(params);
    useTickets(engine, o.sessionResumption());
  }

  /** Conscrypt leaves tickets (TLS 1.3's only way to resume) off unless asked; the JDK's are on. */
  private static void useTickets(SSLEngine engine, boolean on) {
    try {
      if (TlsProviders.isConscrypt(engine)) {
        Conscrypt.setUseSessionTickets(engine, on);
      }
    } catch (LinkageError e) {
      // no Conscrypt classes: the JDK's provider, whose defaults stand
    }
  }

  private void unchecked(UnaryOperator<TlsOptions.Builder> change) {
    try {
      update(change);
    } catch (IOException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
