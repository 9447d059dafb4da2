package org.sockscript.internal.tls;

import javax.net.ssl.SSLException;

/**
 * A TLS step the library itself refused, such as a renegotiation; its message is the reason a
 * {@code socketError} carries, as it is.
 */
public final class TlsRefusal extends SSLException {

  private static final long serialVersionUID = 1L;

  /** What a peer that starts a new handshake on an established TLS 1.2 session is told. */
  public static final String RENEGOTIATION = "the peer tried to renegotiate TLS; refused";

  public TlsRefusal(String reason) {
    super(reason);
  }
}
