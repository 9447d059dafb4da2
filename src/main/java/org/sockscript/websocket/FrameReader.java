package org.sockscript.websocket;

import java.io.IOException;

/**
 * Reads one server frame (RFC 6455 5.2) and refuses every header a client must not accept: a
 * masked frame (5.1), reserved bits without an extension that defines them (5.2), an unknown
 * opcode, a fragmented or oversized control frame (5.5), a 64-bit length with its top bit set, and
 * a payload longer than {@code limit} — checked before a byte of the payload is read or allocated,
 * so a hostile length costs nothing.
 */
final class FrameReader {

  private FrameReader() {}

  static Frame read(FrameSource in, int limit) throws IOException {
    byte[] head = in.read(2);
    boolean fin = (head[0] & 0x80) != 0;
    int reserved = head[0] & 0x70;
    int opcode = head[0] & 0x0F;
    boolean masked = (head[1] & 0x80) != 0;
    long length = head[1] & 0x7F;
    if (reserved != 0) {
      throw violation(String.format("reserved bits set in a %s frame header (byte 0x%02X; expected 0 without an extension)",
          Frame.name(opcode), head[0] & 0xFF), 1002);
    }
    if (opcode > Frame.BINARY && opcode < Frame.CLOSE || opcode > Frame.PONG) {
      throw violation("unknown opcode " + Frame.name(opcode) + " (expected 0x0-0x2 or 0x8-0xA)", 1002);
    }
    if (masked) {
      throw violation("the server sent a masked " + Frame.name(opcode)
          + " frame (a server must not mask its frames: RFC 6455 5.1)", 1002);
    }
    if (length == 126) {
      byte[] ext = in.read(2);
      length = ((ext[0] & 0xFF) << 8) | (ext[1] & 0xFF);
    } else if (length == 127) {
      byte[] ext = in.read(8);
      if ((ext[0] & 0x80) != 0) {
        throw violation("a frame length with its most significant bit set (expected a 63-bit length)", 1002);
      }
      length = 0;
      for (byte b : ext) {
        length = (length << 8) | (b & 0xFF);
      }
    }
    boolean control = (opcode & 0x8) != 0;
    if (control && (!fin || length > 125)) {
      throw violation("a " + Frame.name(opcode) + " frame " + (fin ? "of " + length + " bytes" : "fragmented")
          + " (control frames must be whole and at most 125 bytes)", 1002);
    }
    if (length > limit) {
      throw violation("a " + Frame.name(opcode) + " frame of " + length
          + " bytes is over the inbound limit of " + limit + " bytes", 1009);
    }
    byte[] payload = length == 0 ? new byte[0] : in.read((int) length);
    return new Frame(fin, opcode, payload);
  }

  static WebSocketProtocolException violation(String message, int closeCode) {
    return new WebSocketProtocolException(message, closeCode);
  }
}
