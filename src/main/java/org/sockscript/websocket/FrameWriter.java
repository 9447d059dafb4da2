package org.sockscript.websocket;

import java.util.Random;

/** Encodes client frames: whole (FIN set), masked with a fresh key from {@code random} (RFC 6455 5.3). */
final class FrameWriter {

  private FrameWriter() {}

  static byte[] encode(int opcode, byte[] payload, Random random) {
    int n = payload.length;
    int lengthBytes = n <= 125 ? 0 : n <= 0xFFFF ? 2 : 8;
    byte[] out = new byte[2 + lengthBytes + 4 + n];
    out[0] = (byte) (0x80 | opcode);
    int at = 2;
    if (lengthBytes == 0) {
      out[1] = (byte) (0x80 | n);
    } else if (lengthBytes == 2) {
      out[1] = (byte) (0x80 | 126);
      out[2] = (byte) (n >>> 8);
      out[3] = (byte) n;
      at = 4;
    } else {
      out[1] = (byte) (0x80 | 127);
      for (int i = 0; i < 8; i++) {
        out[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
      }
      at = 10;
    }
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    System.arraycopy(mask, 0, out, at, 4);
    at += 4;
    for (int i = 0; i < n; i++) {
      out[at + i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    return out;
  }
}
