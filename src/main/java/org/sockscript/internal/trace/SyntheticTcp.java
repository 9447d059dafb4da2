package org.sockscript.internal.trace;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One traced connection as TCP/IP packets a capture tool can read: a three-way handshake at
 * its first event, then each chunk as segments (at most {@value #SEGMENT} bytes) with sequence
 * and acknowledgement numbers counted per direction, so Wireshark follows the stream and
 * reassembles its records. Headers only: no checksums (Wireshark does not check them by
 * default), no options. Not thread-safe: {@link PcapngTrace} serializes calls. A datagram
 * socket's datagram needs no state: {@link #udp} frames it as one UDP packet.
 */
final class SyntheticTcp {

  static final int SEGMENT = 16_384;
  private static final int SYN = 0x02;
  private static final int ACK = 0x10;
  private static final int PSH_ACK = 0x18;

  private final InetSocketAddress client;
  private final InetSocketAddress server;
  private long clientSeq = 1;
  private long serverSeq = 1;
  private short ipId;

  /** {@code local} and {@code remote} of the socket; {@code accepted}: the remote end is the client. */
  SyntheticTcp(InetSocketAddress local, InetSocketAddress remote, boolean accepted) {
    this.client = accepted ? remote : local;
    this.server = accepted ? local : remote;
  }

  /** The handshake's three packets: SYN, SYN-ACK, ACK. */
  byte[][] handshake() {
    return new byte[][] {
        packet(true, 0, 0, SYN, new byte[0], 0, 0),
        packet(false, 0, 1, SYN | ACK, new byte[0], 0, 0),
        packet(true, 1, 1, ACK, new byte[0], 0, 0)};
  }

  /** {@code data} going out from the socket's end ({@code outbound}) or coming in, as segments. */
  byte[][] segments(boolean outbound, boolean accepted, byte[] data) {
    boolean fromClient = outbound != accepted;
    int count = Math.max(1, (data.length + SEGMENT - 1) / SEGMENT);
    byte[][] out = new byte[count][];
    for (int i = 0; i < count; i++) {
      int at = i * SEGMENT;
      int n = Math.min(SEGMENT, data.length - at);
      long seq = fromClient ? clientSeq : serverSeq;
      long ack = fromClient ? serverSeq : clientSeq;
      out[i] = packet(fromClient, seq, ack, n == 0 ? ACK : PSH_ACK, data, at, n);
      if (fromClient) {
        clientSeq += n;
      } else {
        serverSeq += n;
      }
    }
    return out;
  }

  /** One UDP datagram between {@code local} and {@code peer}, as an IP packet (UDP checksum 0: none). */
  static byte[] udp(InetSocketAddress local, InetSocketAddress peer, boolean outbound, byte[] data) {
    InetSocketAddress src = outbound ? local : peer;
    InetSocketAddress dst = outbound ? peer : local;
    ByteBuffer b = ipHeader(src, dst, 17, 8 + data.length, (short) 0);
    b.putShort((short) src.getPort()).putShort((short) dst.getPort()).putShort((short) (8 + data.length))
        .putShort((short) 0).put(data);
    return b.array();
  }

  private byte[] packet(boolean fromClient, long seq, long ack, int flags, byte[] data, int at, int n) {
    InetSocketAddress src = fromClient ? client : server;
    InetSocketAddress dst = fromClient ? server : client;
    ByteBuffer b = ipHeader(src, dst, 6, 20 + n, ipId++);
    b.putShort((short) src.getPort()).putShort((short) dst.getPort()).putInt((int) seq).putInt((int) ack)
        .put((byte) (5 << 4)).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0)
        .put(data, at, n);
    return b.array();
  }

  /** A buffer holding an IPv4 (both ends IPv4) or IPv6 header for {@code length} bytes of {@code protocol}, with room for them. */
  private static ByteBuffer ipHeader(InetSocketAddress src, InetSocketAddress dst, int protocol, int length, short id) {
    boolean v4 = src.getAddress() instanceof Inet4Address && dst.getAddress() instanceof Inet4Address;
    ByteBuffer b = ByteBuffer.allocate((v4 ? 20 : 40) + length); // network byte order
    if (v4) {
      b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + length)).putShort(id)
          .putShort((short) 0x4000).put((byte) 64).put((byte) protocol).putShort((short) 0)
          .put(src.getAddress().getAddress()).put(dst.getAddress().getAddress());
      b.putShort(10, checksum(b.array(), 20));
    } else {
      b.putInt(0x60000000).putShort((short) length).put((byte) protocol).put((byte) 64)
          .put(v6(src.getAddress())).put(v6(dst.getAddress()));
    }
    return b;
  }

  /** An IPv6 form of {@code a} (an IPv4 address of a mixed pair becomes ::ffff:a.b.c.d). */
  private static byte[] v6(InetAddress a) {
    byte[] raw = a.getAddress();
    if (raw.length == 16) {
      return raw;
    }
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(raw, 0, mapped, 12, 4);
    return mapped;
  }

  private static short checksum(byte[] header, int length) {
    int sum = 0;
    for (int i = 0; i < length; i += 2) {
      sum += ((header[i] & 0xff) << 8) | (header[i + 1] & 0xff);
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (short) ~sum;
  }
}
