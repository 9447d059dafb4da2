package org.sockscript.internal;

import java.nio.ByteBuffer;

/**
 * Direct buffers one I/O loop lends to every TLS stage it runs, one stage at a time: the engine
 * reads and writes them without copying (Conscrypt copies heap buffers into a direct buffer of
 * its own per engine), and no idle socket holds any. Whatever a stage cannot finish with before
 * returning to the loop it copies into small heap buffers of its own.
 */
final class TlsScratch {

  /** Decrypted bytes, on their way into a socket's inbound buffer. */
  final ByteBuffer plain = ByteBuffer.allocateDirect(64 * 1024 + 2048);
  /** Encrypted records, on their way to the socket. */
  final ByteBuffer records = ByteBuffer.allocateDirect(64 * 1024 + 40 * 1024);

  /** Copies what is left of {@code src} (read mode) to the end of {@code stash} (write mode, may be null). */
  static ByteBuffer stash(ByteBuffer stash, ByteBuffer src) {
    int n = src.remaining();
    if (n == 0) {
      return stash;
    }
    if (stash == null) {
      stash = ByteBuffer.allocate(Math.max(n, 4096));
    } else if (stash.remaining() < n) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(stash.capacity() * 2, stash.position() + n));
      stash.flip();
      bigger.put(stash);
      stash = bigger;
    }
    stash.put(src);
    return stash;
  }
}
