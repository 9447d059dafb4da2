package org.sockscript.internal.tls;

import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.util.ArrayList;
import java.util.List;
import org.sockscript.TlsInfo;

/**
 * An {@link SSLEngine} and what it was made to check, all from one reading of a registry's TLS
 * settings (see {@link TlsConfig}): whether the peer is verified and against which name, which
 * provider runs it, and — when the chain check is the caller's own {@code SSLContext}'s — the
 * name the library checks itself once the handshake is done.
 */
public final class TlsEngine {

  private final SSLEngine engine;
  private final boolean verified;
  private final String verifiedHost;
  private final String provider;
  private final String nameToCheck;

  TlsEngine(SSLEngine engine, boolean verified, String verifiedHost, String provider, String nameToCheck) {
    this.engine = engine;
    this.verified = verified;
    this.verifiedHost = verifiedHost;
    this.provider = provider;
    this.nameToCheck = nameToCheck;
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

  /**
   * Called once the handshake is done, before a byte of data is taken or sent: with a caller's
   * {@code SSLContext}, whose trust manager checked the chain, this is the library's own name
   * check (RFC 6125, no common-name fallback). Throws with the reason, naming the certificate's
   * names; the caller then closes the connection.
   */
  public void checkFinishedHandshake(SSLSession session) throws SSLException {
    if (nameToCheck == null) {
      return;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      HostnameMatcher.check(nameToCheck, (X509Certificate) chain[0]);
    } catch (CertificateException | RuntimeException e) {
      SSLHandshakeException failure = new SSLHandshakeException(e.getMessage());
      failure.initCause(e);
      throw failure;
    }
  }

  /** What the finished handshake agreed. */
  public TlsInfo info() {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate c : engine.getSession().getPeerCertificates()) {
        chain.add((X509Certificate) c);
      }
    } catch (SSLPeerUnverifiedException e) {
      // the peer sent no certificate (a client, usually): the chain stays empty
    }
    return new TlsInfo(engine.getSession().getProtocol(), engine.getSession().getCipherSuite(),
        chain, verified, verifiedHost, provider);
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
