package org.sockscript.internal.trace;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The three pcapng blocks a trace file needs (the pcapng spec, draft-ietf-opsawg-pcapng):
 * a Section Header, one Interface Description (raw IP packets, LINKTYPE_RAW = 101, nanosecond
 * timestamps) and Enhanced Packet Blocks, each with an optional comment. Little-endian, as
 * the byte-order magic says.
 */
final class PcapngBlocks {

  private static final int LINKTYPE_RAW = 101;

  private PcapngBlocks() {}

  static byte[] sectionHeader() {
    ByteBuffer b = block(28);
    b.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0)
        .putLong(-1L).putInt(28);
    return b.array();
  }

  static byte[] interfaceDescription() {
    byte[] name = "sockscript".getBytes(StandardCharsets.US_ASCII);
    int options = option(name.length) + option(1) + 4;
    int length = 20 + options;
    ByteBuffer b = block(length);
    b.putInt(1).putInt(length).putShort((short) LINKTYPE_RAW).putShort((short) 0).putInt(0);
    putOption(b, 2, name);                       // if_name
    putOption(b, 9, new byte[] {9});             // if_tsresol: 10^-9 s
    b.putInt(0);                                 // opt_endofopt
    b.putInt(length);
    return b.array();
  }

  /** An Enhanced Packet Block on interface 0 with {@code packet}, and {@code comment} if not null. */
  static byte[] packet(long epochNanos, byte[] packet, String comment) {
    byte[] text = comment == null ? null : comment.getBytes(StandardCharsets.UTF_8);
    int options = text == null ? 0 : option(text.length) + 4;
    int length = 32 + pad(packet.length) + options;
    ByteBuffer b = block(length);
    b.putInt(6).putInt(length).putInt(0).putInt((int) (epochNanos >>> 32)).putInt((int) epochNanos)
        .putInt(packet.length).putInt(packet.length).put(packet);
    b.position(b.position() + pad(packet.length) - packet.length);
    if (text != null) {
      putOption(b, 1, text);                     // opt_comment
      b.putInt(0);
    }
    b.putInt(length);
    return b.array();
  }

  private static ByteBuffer block(int length) {
    return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static int option(int valueLength) {
    return 4 + pad(valueLength);
  }

  private static void putOption(ByteBuffer b, int code, byte[] value) {
    b.putShort((short) code).putShort((short) value.length).put(value);
    b.position(b.position() + pad(value.length) - value.length);
  }

  private static int pad(int n) {
    return (n + 3) & ~3;
  }
}
