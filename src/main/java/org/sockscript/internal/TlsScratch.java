package org.sockscript.internal;

import java.nio.ByteBuffer;

/**
 * Direct buffers lent to TLS stages, one stage at a time: the engine reads and writes them
 * without copying (Conscrypt copies heap buffers into a direct buffer of its own per engine),
 * and no idle socket holds any. Whatever a stage cannot finish with before it is left it copies
 * into small heap buffers of its own. The I/O loop has one; script threads doing TLS I/O
 * themselves borrow one from a small {@link Pool} (with a buffer to read the socket into).
 */
final class TlsScratch {

  /** Network bytes a script thread read, on their way to the engine; null for the loop's scratch. */
  final ByteBuffer net;

  TlsScratch(boolean withNet) {
    net = withNet ? ByteBuffer.allocateDirect(64 * 1024) : null;
  }

  /**
   * The scratches of one registry's script threads: at most {@link #MAX} exist (a few hundred KiB
   * of direct memory each), so two thousand virtual threads share a handful; a thread finding none
   * free leaves its I/O to the loop, as before.
   */
  static final class Pool {
    static final int MAX = 4;
    private final java.util.concurrent.ConcurrentLinkedQueue<TlsScratch> free = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();

    /** A scratch for this thread's exclusive use, or null if all are lent. */
    TlsScratch borrow() {
      TlsScratch s = free.poll();
      if (s == null && made.getAndUpdate(n -> n < MAX ? n + 1 : n) < MAX) {
        s = new TlsScratch(true);
      }
      return s;
    }

    void giveBack(TlsScratch s) {
      if (s != null) {
        free.add(s);
      }
    }
  }

  /** Decrypted bytes, on their way into a socket's inbound buffer. */
  final ByteBuffer plain = ByteBuffer.allocateDirect(64 * 1024 + 2048);
  /** Encrypted records, on their way to the socket. */
  final ByteBuffer records = ByteBuffer.allocateDirect(64 * 1024 + 40 * 1024);

  /** Size of the pooled stash buffers: a whole TLS record (16 KiB + overhead) and then some. */
  static final int STASH = 32 * 1024;
  /** Stash buffers emptied by one stage, for the next: a partial record at the end of nearly
   *  every read would otherwise cost a fresh buffer each time. Used by one thread at a time. */
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
