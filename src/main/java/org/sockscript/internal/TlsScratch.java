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

  /** Size of the pooled stash buffers: a whole TLS record (16 KiB + overhead) and then some. */
  static final int STASH = 32 * 1024;
  /** Stash buffers emptied by one stage, for the next: a partial record at the end of nearly
   *  every read would otherwise cost a fresh buffer each time. Loop thread only. */
  private final java.util.ArrayDeque<ByteBuffer> spare = new java.util.ArrayDeque<>();

  /**
   * Copies what is left of {@code src} (read mode) to the end of {@code stash} (write mode, may be
   * null), taking a pooled buffer or a bigger one when it needs room.
   */
  ByteBuffer stash(ByteBuffer stash, ByteBuffer src) {
    int n = src.remaining();
    if (n == 0) {
      return stash;
    }
    if (stash == null) {
      stash = n <= STASH && !spare.isEmpty() ? spare.pop() : ByteBuffer.allocate(Math.max(n, STASH));
    } else if (stash.remaining() < n) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(stash.capacity() * 2, stash.position() + n));
      stash.flip();
      bigger.put(stash);
      recycle(stash);
      stash = bigger;
    }
    stash.put(src);
    return stash;
  }

  /** A stash buffer its stage no longer needs; null is ignored. Returns null, for assignment. */
  ByteBuffer recycle(ByteBuffer stash) {
    if (stash != null && stash.capacity() == STASH && spare.size() < 16) {
      stash.clear();
      spare.push(stash);
    }
    return null;
  }
}
