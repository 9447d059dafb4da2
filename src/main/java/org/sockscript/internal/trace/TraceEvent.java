package org.sockscript.internal.trace;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One traced chunk of one socket.
 *
 * @param epochNanos when it crossed, in nanoseconds since the epoch
 * @param socket the socket's name
 * @param local this end's address (may be null if the socket never had one)
 * @param remote the peer's address (may be null)
 * @param accepted whether the peer opened the connection (for synthetic TCP framing)
 * @param outbound whether it went out
 * @param kind what the bytes are
 * @param data the bytes, the event's own
 * @param tlsRecords for WIRE chunks of a secure socket, one description per TLS record that
 *     starts or continues in it ({@code Handshake v1.2 len 512 [ClientHello]}); null for plaintext
 * @param stream identifies the connection across events (its tap); null for a datagram
 */
public record TraceEvent(long epochNanos, String socket, InetSocketAddress local, InetSocketAddress remote,
    boolean accepted, boolean outbound, Kind kind, byte[] data, List<String> tlsRecords, Object stream) {

  /** What a chunk is. */
  public enum Kind {
    /** Bytes as they crossed the socket: plaintext, or TLS records. */
    WIRE,
    /** Application data of a secure socket: decrypted (inbound) or handed to TLS to encrypt (outbound). */
    APPLICATION,
    /** One UDP datagram of a datagram socket; {@code remote} is the peer it came from or went to. */
    DATAGRAM
  }
}
