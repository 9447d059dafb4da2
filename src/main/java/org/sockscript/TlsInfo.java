package org.sockscript;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.sockscript.internal.Args;

/**
 * What a finished TLS handshake agreed: protocol, cipher suite, the peer's certificate chain, and
 * whether that chain was verified (and against which name). Immutable.
 *
 * <pre>{@code
 * TlsInfo info = sockets.tlsInfo("localhost:2525");
 * System.out.println(info.protocol() + " " + info.cipherSuite() + " verified=" + info.verified());
 * }</pre>
 */
public final class TlsInfo {

  private final String protocol;
  private final String cipherSuite;
  private final List<X509Certificate> peerCertificates;
  private final boolean verified;
  private final String verifiedHost;
  private final String provider;
  private final boolean resumed;
  private final String applicationProtocol;

  /**
   * Made by the library after a handshake.
   * Example: {@code new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", chain, true, "localhost", "Conscrypt")}.
   */
  public TlsInfo(String protocol, String cipherSuite, List<X509Certificate> peerCertificates,
      boolean verified, String verifiedHost, String provider) {
    this(protocol, cipherSuite, peerCertificates, verified, verifiedHost, provider, false, null);
  }

  /**
   * Made by the library after a handshake, saying also whether it resumed a session and which
   * ALPN protocol was agreed (null: none).
   * Example: {@code new TlsInfo("TLSv1.3", suite, chain, true, "localhost", "Conscrypt", true, "h2")}.
   *
   * @throws IllegalArgumentException if {@code peerCertificates} is null (an unauthenticated peer's is empty)
   */
  public TlsInfo(String protocol, String cipherSuite, List<X509Certificate> peerCertificates,
      boolean verified, String verifiedHost, String provider, boolean resumed, String applicationProtocol) {
    this.resumed = resumed;
    this.applicationProtocol = applicationProtocol;
    this.provider = provider;
    this.protocol = protocol;
    this.cipherSuite = cipherSuite;
    this.peerCertificates = List.copyOf(Args.notNull(peerCertificates, "peerCertificates"));
    this.verified = verified;
    this.verifiedHost = verifiedHost;
  }

  /** {@code "TLSv1.3"} or {@code "TLSv1.2"}. Example: {@code info.protocol()}. */
  public String protocol() {
    return protocol;
  }

  /** The negotiated suite, e.g. {@code "TLS_AES_128_GCM_SHA256"}. Example: {@code info.cipherSuite()}. */
  public String cipherSuite() {
    return cipherSuite;
  }

  /**
   * The peer's chain, leaf first; empty if the peer sent none (a server not asking for client
   * certificates sees none). Example: {@code info.peerCertificates().get(0).getSubjectX500Principal()}.
   */
  public List<X509Certificate> peerCertificates() {
    return peerCertificates;
  }

  /** Whether the chain and name were checked and passed. Example: {@code if (!info.verified()) warn();}. */
  public boolean verified() {
    return verified;
  }

  /** The name the certificate was verified against, or null if unverified. Example: {@code info.verifiedHost()}. */
  public String verifiedHost() {
    return verifiedHost;
  }

  /** The TLS provider that ran the handshake: {@code "Conscrypt"} or the JDK's {@code "SunJSSE"}. Example: {@code info.provider()}. */
  public String provider() {
    return provider;
  }

  /**
   * Whether the handshake resumed an earlier session (an abbreviated handshake: no certificate was
   * sent, the chain is the earlier one's). Always false under the JDK's provider, which does not
   * tell. Example: {@code if (sockets.tlsInfo(s).resumed()) ...}
   */
  public boolean resumed() {
    return resumed;
  }

  /** The ALPN protocol both sides agreed, or null if none was. Example: {@code "h2".equals(info.applicationProtocol())}. */
  public String applicationProtocol() {
    return applicationProtocol;
  }

  /**
   * Subject, issuer, names and validity of each certificate in the peer's chain, one per line.
   * Example: {@code sockets.tlsInfo(s).describeChain().forEach(System.out::println);}
   */
  public List<String> describeChain() {
    List<String> lines = new ArrayList<>();
    for (X509Certificate c : peerCertificates) {
      lines.add("subject=" + c.getSubjectX500Principal().getName()
          + " issuer=" + c.getIssuerX500Principal().getName()
          + " names=" + subjectAltNames(c)
          + " valid " + c.getNotBefore().toInstant() + " .. " + c.getNotAfter().toInstant());
    }
    return lines;
  }

  /** The DNS and IP subject alternative names of {@code cert}, as strings. */
  static List<String> subjectAltNames(X509Certificate cert) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          names.add(String.valueOf(san.get(1)));
        }
      }
    } catch (CertificateParsingException e) {
      names.add("(unreadable: " + e.getMessage() + ")");
    }
    return names;
  }

  /** One line: {@code TLSv1.3 TLS_AES_128_GCM_SHA256 verified as localhost, peer CN=localhost}. */
  @Override
  public String toString() {
    String peer = peerCertificates.isEmpty() ? "no peer certificate"
        : "peer " + peerCertificates.get(0).getSubjectX500Principal().getName();
    return protocol + " " + cipherSuite + " (" + provider + ") " + (resumed ? "resumed, " : "")
        + (applicationProtocol != null ? "alpn " + applicationProtocol + ", " : "")
        + (!verified ? "UNVERIFIED" : verifiedHost != null ? "verified as " + verifiedHost
        : "client certificate verified") + ", " + peer;
  }
}
