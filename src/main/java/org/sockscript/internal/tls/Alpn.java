package org.sockscript.internal.tls;

import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.conscrypt.ApplicationProtocolSelector;
import org.conscrypt.Conscrypt;

/**
 * ALPN on one engine. A client offers its list; a server picks the first protocol of its own list
 * (its preference) that the client offered, and remembers what the client offered so that a
 * required-but-missing agreement can be reported naming both lists. No overlap is not an error
 * at this level: the handshake goes on without ALPN, and {@link TlsEngine#checkFinishedHandshake}
 * fails it only where the options require a protocol.
 */
final class Alpn {

  private final List<String> ours;
  private volatile List<String> offered = List.of();

  private Alpn(List<String> ours) {
    this.ours = ours;
  }

  /** Sets {@code ours} (may be empty: no ALPN) on {@code engine}, made in client or server mode. */
  static Alpn configure(SSLEngine engine, List<String> ours, boolean server) {
    Alpn alpn = new Alpn(ours);
    if (ours.isEmpty()) {
      return alpn;
    }
    if (!server) {
      SSLParameters params = engine.getSSLParameters();
      params.setApplicationProtocols(ours.toArray(new String[0]));
      engine.setSSLParameters(params);
    } else if (isConscrypt(engine)) {
      Conscrypt.setApplicationProtocolSelector(engine, new ApplicationProtocolSelector() {
        @Override
        public String selectApplicationProtocol(SSLEngine e, List<String> protocols) {
          return alpn.select(protocols);
        }

        @Override
        public String selectApplicationProtocol(SSLSocket s, List<String> protocols) {
          return alpn.select(protocols);
        }
      });
    } else {
      engine.setHandshakeApplicationProtocolSelector((e, protocols) -> alpn.select(protocols));
    }
    return alpn;
  }

  /** The server's choice: ours in our order, or "" (no ALPN; null would make the JDK abort). */
  private String select(List<String> theirs) {
    offered = List.copyOf(theirs);
    return ours.stream().filter(theirs::contains).findFirst().orElse("");
  }

  /** The protocol agreed, or null. */
  String agreed(SSLEngine engine) {
    if (ours.isEmpty()) {
      return null;
    }
    String p = isConscrypt(engine) ? Conscrypt.getApplicationProtocol(engine) : engine.getApplicationProtocol();
    return p == null || p.isEmpty() ? null : p;
  }

  /** Why a required agreement is missing, naming both lists. */
  String noAgreement(boolean client) {
    return client
        ? "no ALPN protocol agreed: offered " + ours + ", the server chose none"
        : "no ALPN protocol agreed: the client offered " + offered + ", this server accepts " + ours;
  }

  /** Why a peer refused with a no_application_protocol alert, naming the list it refused. */
  String refused(boolean client) {
    return client ? "no ALPN protocol agreed: offered " + ours + ", the server accepts none of them"
        : "no ALPN protocol agreed: the client offered " + offered + ", this server accepts " + ours;
  }

  private static boolean isConscrypt(SSLEngine engine) {
    try {
      return TlsProviders.isConscrypt(engine);
    } catch (LinkageError e) {
      return false;
    }
  }
}
