package org.sockscript;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.sockscript.internal.Args;

/**
 * A registry's TLS settings as one immutable value: trusted roots, identities, the client
 * certificate requirement, a caller's own {@link SSLContext}, session resumption, ALPN and
 * certificate pins. Set it on a registry with {@link SocketRegistry#setTlsOptions}, or pass it to
 * one {@code openSecure}/{@code secure} call. Files are read when the value is used, so a bad
 * path fails there with an {@link java.io.IOException}; the builder checks everything else.
 *
 * <pre>{@code
 * sockets.setTlsOptions(TlsOptions.builder()
 *     .trustSystemRootsPlus(List.of(Path.of("corp-ca.pem")))
 *     .applicationProtocols("h2", "http/1.1")
 *     .pins(CertificatePins.builder().add("api.example.org", "sha256/...").build())
 *     .build());
 * }</pre>
 */
public final class TlsOptions {

  /** The JDK's roots, no identity, session resumption on, no ALPN, no pins. Example: {@code sockets.setTlsOptions(TlsOptions.DEFAULT);} */
  public static final TlsOptions DEFAULT = new Builder().build();

  /** As {@link #DEFAULT}, but every handshake is a full one: no session is offered, kept or resumed. Example: {@code sockets.setTlsOptions(TlsOptions.NO_RESUMPTION);} */
  public static final TlsOptions NO_RESUMPTION = new Builder().sessionResumption(false).build();

  private final List<Path> roots;
  private final boolean rootsAddToSystem;
  private final Path serverChain;
  private final Path serverKey;
  private final KeyStore serverKeyStore;
  private final char[] serverKeyStorePassword;
  private final Path clientChain;
  private final Path clientKey;
  private final boolean requireClientCertificates;
  private final SSLContext sslContext;
  private final boolean sessionResumption;
  private final List<String> applicationProtocols;
  private final boolean applicationProtocolRequired;
  private final CertificatePins pins;

  private TlsOptions(Builder b) {
    roots = List.copyOf(b.roots);
    rootsAddToSystem = b.rootsAddToSystem;
    serverChain = b.serverChain;
    serverKey = b.serverKey;
    serverKeyStore = b.serverKeyStore;
    serverKeyStorePassword = b.serverKeyStorePassword == null ? null : b.serverKeyStorePassword.clone();
    clientChain = b.clientChain;
    clientKey = b.clientKey;
    requireClientCertificates = b.requireClientCertificates;
    sslContext = b.sslContext;
    sessionResumption = b.sessionResumption;
    applicationProtocols = List.copyOf(b.applicationProtocols);
    applicationProtocolRequired = b.applicationProtocolRequired;
    pins = b.pins;
  }

  /** A builder starting from {@link #DEFAULT}. Example: {@code TlsOptions.builder().sessionResumption(false).build()} */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. Example: {@code sockets.tlsOptions().toBuilder().applicationProtocols("h2").build()} */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** PEM files and folders of trusted roots; empty = the JDK's roots. Example: {@code options.roots()} */
  public List<Path> roots() {
    return roots;
  }

  /** Whether {@link #roots()} are trusted beside the JDK's roots rather than instead of them. Example: {@code options.rootsAddToSystem()} */
  public boolean rootsAddToSystem() {
    return rootsAddToSystem;
  }

  /** The server chain PEM, or null. Example: {@code options.serverChain()} */
  public Path serverChain() {
    return serverChain;
  }

  /** The server key PEM, or null. Example: {@code options.serverKey()} */
  public Path serverKey() {
    return serverKey;
  }

  /** The server identity's key store, or null. Example: {@code options.serverKeyStore()} */
  public KeyStore serverKeyStore() {
    return serverKeyStore;
  }

  /** A copy of the server key store's password, or null. Example: {@code options.serverKeyStorePassword()} */
  public char[] serverKeyStorePassword() {
    return serverKeyStorePassword == null ? null : serverKeyStorePassword.clone();
  }

  /** The client certificate chain PEM (mutual TLS), or null. Example: {@code options.clientChain()} */
  public Path clientChain() {
    return clientChain;
  }

  /** The client key PEM, or null. Example: {@code options.clientKey()} */
  public Path clientKey() {
    return clientKey;
  }

  /** Whether TLS servers demand a client certificate. Example: {@code options.requireClientCertificates()} */
  public boolean requireClientCertificates() {
    return requireClientCertificates;
  }

  /** The caller's own context, or null. Example: {@code options.sslContext()} */
  public SSLContext sslContext() {
    return sslContext;
  }

  /** Whether sessions are resumed (client) and resumption is offered (server). Example: {@code options.sessionResumption()} */
  public boolean sessionResumption() {
    return sessionResumption;
  }

  /** ALPN protocols, most preferred first: offered as a client, chosen from as a server. Example: {@code options.applicationProtocols()} */
  public List<String> applicationProtocols() {
    return applicationProtocols;
  }

  /** Whether a handshake without an agreed ALPN protocol fails. Example: {@code options.applicationProtocolRequired()} */
  public boolean applicationProtocolRequired() {
    return applicationProtocolRequired;
  }

  /** The certificate pins. Example: {@code options.pins().forHost("example.org")} */
  public CertificatePins pins() {
    return pins;
  }

  /** The settings that shape an {@code SSLContext}: roots, identities, client certificates, own context. */
  private List<Object> contextKey() {
    return Arrays.asList(roots, rootsAddToSystem, serverChain, serverKey, serverKeyStore,
        serverKeyStorePassword == null ? null : new String(serverKeyStorePassword), clientChain,
        clientKey, requireClientCertificates, sslContext);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TlsOptions)) {
      return false;
    }
    TlsOptions t = (TlsOptions) o;
    return contextKey().equals(t.contextKey()) && sessionResumption == t.sessionResumption
        && applicationProtocols.equals(t.applicationProtocols)
        && applicationProtocolRequired == t.applicationProtocolRequired && pins.equals(t.pins);
  }

  @Override
  public int hashCode() {
    return Objects.hash(contextKey(), sessionResumption, applicationProtocols, pins);
  }

  /** Example: {@code TlsOptions{roots=[] (replacing the JDK's), resumption=true, alpn=[h2], pins={}}}. */
  @Override
  public String toString() {
    return "TlsOptions{roots=" + roots + (rootsAddToSystem ? " (beside the JDK's)" : " (replacing the JDK's)")
        + (serverChain != null || serverKeyStore != null ? ", server identity" : "")
        + (clientChain != null ? ", client identity" : "")
        + (requireClientCertificates ? ", client certificates required" : "")
        + (sslContext != null ? ", own SSLContext" : "") + ", resumption=" + sessionResumption
        + ", alpn=" + applicationProtocols + (applicationProtocolRequired ? " required" : "")
        + ", pins=" + pins + "}";
  }

  /** Builds {@link TlsOptions}; every setter checks its input and names a bad value. */
  public static final class Builder {
    private List<Path> roots = List.of();
    private boolean rootsAddToSystem;
    private Path serverChain;
    private Path serverKey;
    private KeyStore serverKeyStore;
    private char[] serverKeyStorePassword;
    private Path clientChain;
    private Path clientKey;
    private boolean requireClientCertificates;
    private SSLContext sslContext;
    private boolean sessionResumption = true;
    private List<String> applicationProtocols = List.of();
    private boolean applicationProtocolRequired;
    private CertificatePins pins = CertificatePins.NONE;

    private Builder() {}

    private Builder(TlsOptions o) {
      roots = o.roots;
      rootsAddToSystem = o.rootsAddToSystem;
      serverChain = o.serverChain;
      serverKey = o.serverKey;
      serverKeyStore = o.serverKeyStore;
      serverKeyStorePassword = o.serverKeyStorePassword;
      clientChain = o.clientChain;
      clientKey = o.clientKey;
      requireClientCertificates = o.requireClientCertificates;
      sslContext = o.sslContext;
      sessionResumption = o.sessionResumption;
      applicationProtocols = o.applicationProtocols;
      applicationProtocolRequired = o.applicationProtocolRequired;
      pins = o.pins;
    }

    /** Trust exactly the roots in these PEM files and folders (empty: the JDK's roots). Example: {@code builder.trustOnly(List.of(Path.of("ca.pem")))} */
    public Builder trustOnly(List<Path> paths) {
      roots = paths("roots", paths);
      rootsAddToSystem = false;
      return this;
    }

    /** Trust the JDK's roots plus those in these PEM files and folders. Example: {@code builder.trustSystemRootsPlus(List.of(Path.of("corp-ca.pem")))} */
    public Builder trustSystemRootsPlus(List<Path> paths) {
      roots = paths("roots", paths);
      rootsAddToSystem = !roots.isEmpty();
      return this;
    }

    /** The TLS server's chain (leaf first) and PKCS#8 key; null, null for none. Example: {@code builder.serverIdentity(chain, key)} */
    public Builder serverIdentity(Path chainPem, Path keyPem) {
      checkPair("serverIdentity", chainPem, keyPem);
      serverChain = chainPem;
      serverKey = keyPem;
      serverKeyStore = null;
      serverKeyStorePassword = null;
      return this;
    }

    /** The TLS server's identity from a key store with one key entry (read when used). Example: {@code builder.serverIdentity(store, pw)} */
    public Builder serverIdentity(KeyStore keyStore, char[] password) {
      serverKeyStore = Args.notNull(keyStore, "keyStore");
      serverKeyStorePassword = password == null ? null : password.clone();
      serverChain = null;
      serverKey = null;
      return this;
    }

    /** The certificate and key presented as a TLS client; null, null for none. Example: {@code builder.clientIdentity(chain, key)} */
    public Builder clientIdentity(Path chainPem, Path keyPem) {
      checkPair("clientIdentity", chainPem, keyPem);
      clientChain = chainPem;
      clientKey = keyPem;
      return this;
    }

    /** Whether TLS servers demand a client certificate, checked against chosen roots only. Example: {@code builder.requireClientCertificates(true)} */
    public Builder requireClientCertificates(boolean required) {
      requireClientCertificates = required;
      return this;
    }

    /** Use the caller's context for every engine (null: the registry's own). Example: {@code builder.sslContext(ctx)} */
    public Builder sslContext(SSLContext context) {
      sslContext = context;
      return this;
    }

    /** Whether sessions are resumed and offered for resumption (default true). Example: {@code builder.sessionResumption(false)} */
    public Builder sessionResumption(boolean on) {
      sessionResumption = on;
      return this;
    }

    /** ALPN protocols, most preferred first (none: no ALPN). Example: {@code builder.applicationProtocols("h2", "http/1.1")} */
    public Builder applicationProtocols(String... protocols) {
      List<String> list = new ArrayList<>();
      for (String p : Args.notNull(protocols, "protocols")) {
        if (p == null || p.isEmpty() || p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
          throw new IllegalArgumentException("an ALPN protocol must be 1 to 255 bytes, was "
              + (p == null ? null : "\"" + p + "\""));
        }
        if (list.contains(p)) {
          throw new IllegalArgumentException("ALPN protocol listed twice: \"" + p + "\"");
        }
        list.add(p);
      }
      applicationProtocols = List.copyOf(list);
      return this;
    }

    /** Whether a handshake that agrees no ALPN protocol fails (needs {@link #applicationProtocols}). Example: {@code builder.applicationProtocolRequired(true)} */
    public Builder applicationProtocolRequired(boolean required) {
      applicationProtocolRequired = required;
      return this;
    }

    /** The certificate pins (default {@link CertificatePins#NONE}). Example: {@code builder.pins(pins)} */
    public Builder pins(CertificatePins pins) {
      this.pins = Args.notNull(pins, "pins");
      return this;
    }

    /**
     * The options. Example: {@code builder.build()}
     *
     * @throws IllegalStateException if ALPN is required but no protocol is listed
     */
    public TlsOptions build() {
      if (applicationProtocolRequired && applicationProtocols.isEmpty()) {
        throw new IllegalStateException("applicationProtocolRequired(true) needs applicationProtocols(...), which is empty");
      }
      return new TlsOptions(this);
    }

    private static List<Path> paths(String what, List<Path> paths) {
      if (paths == null || paths.stream().anyMatch(Objects::isNull)) {
        throw new IllegalArgumentException(what + " must be a list of paths, was " + paths);
      }
      return List.copyOf(paths);
    }

    private static void checkPair(String what, Path chain, Path key) {
      if ((chain == null) != (key == null)) {
        throw new IllegalArgumentException(what + " needs both a chain and a key, or neither: chain="
            + chain + ", key=" + key);
      }
    }
  }
}
