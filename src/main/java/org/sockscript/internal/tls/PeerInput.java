package org.sockscript.internal.tls;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Evidence, for a failure's reason, of what a TLS peer sent: the first bytes of the TLS input
 * (bytes held when {@code secure} was called count), and the bytes the engine was reading when
 * it failed. Kept cheaply: at most {@value #KEEP} bytes of each, copied without moving the
 * buffers, and nothing once the first bytes are in. One per TLS stage; loop thread only.
 */
public final class PeerInput {

  /** How many bytes are kept of each. */
  static final int KEEP = 64;
  private static final byte[] NONE = new byte[0];

  private final boolean client;
  private boolean inPlace;
  private byte[] first = NONE;
  private byte[] atFailure = NONE;
  private boolean handshakeDone;

  /** For the TLS client's side of a connection, or the server's. */
  public PeerInput(boolean client) {
    this.client = client;
  }

  /** The connection was upgraded in place ({@code secure}), not TLS from its first byte. */
  public void upgradedInPlace() {
    inPlace = true;
  }

  boolean client() {
    return client;
  }

  boolean inPlace() {
    return inPlace;
  }

  /**
   * Notes the remaining bytes of {@code input} but the first {@code seen} (noted before), not
   * moving it, while the first bytes are not all in.
   */
  public void received(ByteBuffer input, int seen) {
    int from = input.position() + seen;
    if (!handshakeDone && first.length < KEEP && input.limit() > from) {
      int n = Math.min(KEEP - first.length, input.limit() - from);
      byte[] more = Arrays.copyOf(first, first.length + n);
      input.get(from, more, first.length, n);
      first = more;
    }
  }

  /** The handshake is done: the first bytes are no evidence any more (an idle socket keeps none). */
  public void handshakeDone() {
    handshakeDone = true;
    first = NONE;
  }

  /** Notes the bytes of {@code input} from {@code position}: where the engine failed to read. */
  public void failedAt(ByteBuffer input, int position) {
    int n = Math.max(0, Math.min(KEEP, input.limit() - position));
    atFailure = new byte[n];
    input.get(position, atFailure, 0, n);
  }

  /** The alert code of a plaintext alert the peer sent where the engine failed, or -1. */
  int plaintextAlert() {
    int code = TlsAlerts.plaintextAlert(atFailure);
    return code >= 0 ? code : TlsAlerts.plaintextAlert(first);
  }

  /**
   * The text the peer sent, quoted and escaped, if the bytes that broke the handshake are
   * printable text (where the engine failed, else the first bytes); null if they look binary.
   */
  String plaintext() {
    String text = PrintableText.quote(atFailure);
    return text != null ? text : PrintableText.quote(first);
  }
}
