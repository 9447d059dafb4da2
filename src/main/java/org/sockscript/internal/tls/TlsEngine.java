package org.sockscript.internal.tls;

import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.sockscript.TlsInfo;
import org.sockscript.TlsOptions;

/**
 * An {@link SSLEngine} and what it was made to check, all from one reading of a registry's TLS
 * settings (see {@link TlsConfig}): whether the peer is verified and against which name, which
 * provider runs it, the pins and ALPN rule of its {@link TlsOptions}, and — when the chain check is
 * the caller's own {@code SSLContext}'s — the name the library checks itself once the handshake is
 * done. It also keeps where its session is cached (material, verification mode, name and port),
 * so that another connection can resume it on purpose ({@link TlsConfig#clientEngineResuming}).
 */
public final class TlsEngine {

  private final SSLEngine engine;
  private final boolean verified;
  private final String verifiedHost;
  private final String provider;
  private final String nameToCheck;
  private final TlsOptions options;
  /** The name pins are looked up by and sessions cached under (the SNI name); null for a server. */
  final String name;
  final TlsMaterial material;
  final int cachePort;
  private final Alpn alpn;

  TlsEngine(SSLEngine engine, boolean verified, String verifiedHost, String provider, String nameToCheck,
      TlsOptions options, String name, TlsMaterial material, int cachePort) {
    this.engine = engine;
    this.verified = verified;
    this.verifiedHost = verifiedHost;
    this.provider = provider;
    this.nameToCheck = nameToCheck;
    this.options = options;
    this.name = name;
    this.material = material;
    this.cachePort = cachePort;
    this.alpn = Alpn.configure(engine, options.applicationProtocols(), name == null);
  }

  public SSLEngine engine() {
    return engine;
  }

  /** Whether the peer's chain (and a server's name) is checked: what {@code TlsInfo.verified} says. */
  public boolean verified() {
    return verified;
  }

  /** The name a server's certificate is checked against, as the script gave it; null otherwise. */
  public String verifiedHost() {
    return verifiedHost;
  }

  /** {@code "Conscrypt"} or the JDK's {@code "SunJSSE"}. */
  public String provider() {
    return provider;
  }

  /** The options this engine was made with. */
  TlsOptions options() {
    return options;
  }

  /** What the finished handshake agreed. */
  public TlsInfo info() {
    SSLSession session = engine.getSession();
    return new TlsInfo(session.getProtocol(), session.getCipherSuite(), peerChain(session), verified,
        verifiedHost, provider, SessionReuse.resumed(engine), alpn.agreed(engine));
  }

  /**
   * Called once the handshake is done, before a byte of data is taken or sent: with a caller's
   * {@code SSLContext}, whose trust manager checked the chain, this is the library's own name
   * check (RFC 6125, no common-name fallback); then the pins of the name, and the ALPN rule. A
   * resumed session is checked too (its chain is the first handshake's). Throws with the reason;
   * the caller then closes the connection. Without resumption, the session is forgotten here.
   */
  public void checkFinishedHandshake(SSLSession session) throws SSLException {
    if (!options.sessionResumption()) {
      session.invalidate(); // never offered again (a server's session-ID cache included)
    }
    try {
      if (nameToCheck != null) {
        Certificate[] chain = session.getPeerCertificates();
        HostnameMatcher.check(nameToCheck, (X509Certificate) chain[0]);
      }
    } catch (CertificateException | RuntimeException | SSLPeerUnverifiedException e) {
      throw handshakeFailure(e.getMessage(), e);
    }
    if (name != null) {
      String mismatch = options.pins().mismatch(name, peerChain(session));
      if (mismatch != null) {
        throw handshakeFailure(mismatch, null);
      }
    }
    if (options.applicationProtocolRequired() && alpn.agreed(engine) == null) {
      throw handshakeFailure(alpn.noAgreement(name != null), null);
    }
  }

  /**
   * A server's finished TLS 1.3 handshake: its session tickets go now, not with its first data,
   * so that clients of a server that only reads can resume too ({@link SessionReuse}). True if
   * records now wait in the engine for a {@code wrap}.
   */
  public boolean releaseTickets() {
    return name == null && options.sessionResumption()
        && "TLSv1.3".equals(engine.getSession().getProtocol()) && SessionReuse.releaseTickets(engine);
  }

  /** {@code reason} for a failed handshake, with what this engine knows of it (the ALPN lists). */
  public String explain(String reason) {
    return reason.contains("no_application_protocol") ? reason + ": " + alpn.refused(name != null) : reason;
  }

  private static List<X509Certificate> peerChain(SSLSession session) {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate c : session.getPeerCertificates()) {
        chain.add((X509Certificate) c);
      }
    } catch (SSLPeerUnverifiedException e) {
      // the peer sent no certificate (a client, usually): the chain stays empty
    }
    return chain;
  }

  private static SSLHandshakeException handshakeFailure(String message, Throwable cause) {
    SSLHandshakeException failure = new SSLHandshakeException(message);
    if (cause != null) {
      failure.initCause(cause);
    }
    return failure;
  }

  /**
   * Closes both directions so that the engine lets go of its native state: Conscrypt frees an
   * engine only when both are done, and outbound is done only once its close_notify has been
   * wrapped, so it is drained into {@code scratch} and dropped.
   */
  public void release(ByteBuffer scratch) {
    try {
      engine.closeOutbound();
      for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
        scratch.clear();
        engine.wrap(ByteBuffer.allocate(0), scratch);
      }
    } catch (SSLException | RuntimeException e) {
      // the engine is failing: closing inbound below still releases it
    }
    try {
      engine.closeInbound();
    } catch (SSLException e) {
      // no close_notify from the peer: expected when we are the ones closing
    }
  }
}
