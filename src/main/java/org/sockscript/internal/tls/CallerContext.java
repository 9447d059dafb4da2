package org.sockscript.internal.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The caller's own {@link SSLContext} ({@code setSslContext}), used so that it never weakens
 * verification:
 *
 * <ol>
 *   <li>Its trust manager checks the peer's chain, as the caller chose; the library then checks
 *       the name itself when the handshake is done ({@link TlsEngine#checkFinishedHandshake}), so
 *       every provider and every trust manager gets the same RFC 6125 check, without a fallback
 *       to the subject's common name. The JDK's own (HTTPS) name check is switched off on these
 *       engines: it would fall back to the common name, and word a mismatch differently.</li>
 *   <li>A client cannot be unverified with it: its trust manager checks every chain, so
 *       {@code verification == false} would be a silent check. That is refused.</li>
 *   <li>A Conscrypt context is, for verified clients, replaced by a sibling that shares its key
 *       and trust managers (see {@link ConscryptContexts}), so that the JDK's PKIX trust manager in
 *       it works under TLS 1.3.</li>
 * </ol>
 */
final class CallerContext {

  private final SSLContext context;
  private SSLContext forClients; // guarded by the TlsConfig that holds this

  CallerContext(SSLContext context) {
    this.context = context;
  }

  String providerName() {
    return context.getProvider().getName();
  }

  /** A client engine expecting {@code host}: the chain is checked by the caller's trust manager. */
  SSLEngine clientEngine(String host, int port) {
    if (forClients == null) {
      forClients = ConscryptContexts.forVerifiedClients(context);
    }
    return forClients.createSSLEngine(host, port);
  }

  SSLEngine serverEngine() {
    return context.createSSLEngine();
  }

  /** Why {@code verification == false} is refused with this context. */
  static String unverifiedRefusal() {
    return "verification == false conflicts with the SSLContext given to setSslContext: its trust"
        + " manager checks every peer's chain, so the socket would not be unverified; pass"
        + " verification == true, or call setSslContext(null) to use the registry's own TLS settings";
  }
}
