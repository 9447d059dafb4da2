package org.sockscript;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.sockscript.internal.Args;

/**
 * The registry's TLS settings; a separate class only to keep {@link SocketRegistry} short.
 * Every public member here is documented and used as a member of {@link SocketRegistry}. They
 * are one {@link TlsOptions} value; the setters below are shorthands that change one part of it.
 * Public (and sealed) only for JShell's Tab, as {@link RegistrySettings} says.
 * Example: {@code sockets.setSslCertificates(List.of(Path.of("ca.pem")));}
 */
public abstract sealed class RegistryTlsSettings extends RegistrySettings permits RegistryNetworkVerbs {

  RegistryTlsSettings() {}

  /**
   * All TLS settings at once, for sockets secured from now on; files are read now. Example:
   * {@code sockets.setTlsOptions(TlsOptions.builder().applicationProtocols("h2").build());}
   *
   * @throws java.io.IOException if a file of the options cannot be read or used
   */
  public void setTlsOptions(TlsOptions options) throws IOException {
    core.tls.options(Args.notNull(options, "options"));
  }

  /** The registry's TLS settings. Example: {@code sockets.setTlsOptions(sockets.tlsOptions().toBuilder().sessionResumption(false).build());} */
  public TlsOptions tlsOptions() {
    return core.tls.options();
  }

  /**
   * Trusted roots for verification: PEM files and folders of them. Empty = the JDK's default
   * roots; non-empty replaces them (to add to them, see {@link #setExtraSslCertificates}).
   * Example: {@code sockets.setSslCertificates(List.of(Path.of("ca.pem")));}
   */
  public void setSslCertificates(List<Path> paths) throws IOException {
    List<Path> copy = paths(paths);
    core.tls.update(b -> b.trustOnly(copy));
  }

  /**
   * Trusts the JDK's default roots <em>plus</em> the roots in these PEM files and folders (a
   * service's own CA, say); empty = the JDK's roots alone. Replaces {@link #setSslCertificates}'s
   * choice. Example: {@code sockets.setExtraSslCertificates(List.of(Path.of("push-ca.pem")));}
   */
  public void setExtraSslCertificates(List<Path> paths) throws IOException {
    List<Path> copy = paths(paths);
    core.tls.update(b -> b.trustSystemRootsPlus(copy));
  }

  /** The trusted-root paths set, empty for the JDK's defaults alone. Example: {@code sockets.sslCertificates()} */
  public List<Path> sslCertificates() {
    return core.tls.options().roots();
  }

  /** This registry's TLS server certificate chain (leaf first) and PKCS#8 key. Example: {@code sockets.setServerIdentity(Path.of("chain.pem"), Path.of("key.pem"));} */
  public void setServerIdentity(Path chainPem, Path keyPem) throws IOException {
    Args.notNull(chainPem, "chainPem");
    Args.notNull(keyPem, "keyPem");
    core.tls.serverIdentity(chainPem, keyPem);
  }

  /** The server identity from a key store with one key entry. Example: {@code sockets.setServerIdentity(keyStore, "changeit".toCharArray());} */
  public void setServerIdentity(KeyStore keyStore, char[] password) throws IOException {
    Args.notNull(keyStore, "keyStore");
    core.tls.serverIdentity(keyStore, password);
  }

  /** The client certificate and key presented for mutual TLS. Example: {@code sockets.setClientIdentity(chain, key);} */
  public void setClientIdentity(Path chainPem, Path keyPem) throws IOException {
    Args.notNull(chainPem, "chainPem");
    Args.notNull(keyPem, "keyPem");
    core.tls.clientIdentity(chainPem, keyPem);
  }

  /** Whether TLS servers demand a client certificate, checked against roots set with {@link #setSslCertificates} (or by a {@link #setSslContext context}), never
   * the JDK's public ones: without, a secure {@code accept} or server-side {@code secure} throws IllegalStateException. Example: {@code sockets.setRequireClientCertificates(true);} */
  public void setRequireClientCertificates(boolean required) {
    core.tls.requireClientCertificates(required);
  }

  /** Use this context for every TLS engine (null: the registry's own). Its trust manager checks each peer's chain; the library still checks a server's name
   * itself (RFC 6125, no common-name fallback), and refuses {@code verification == false} with it. Example: {@code sockets.setSslContext(myContext);} */
  public void setSslContext(SSLContext context) {
    core.tls.sslContext(context);
  }

  private static List<Path> paths(List<Path> paths) {
    if (paths == null || paths.stream().anyMatch(java.util.Objects::isNull)) {
      throw new IllegalArgumentException("sslCertificates must be a list of paths, was " + paths);
    }
    return List.copyOf(paths);
  }
}
