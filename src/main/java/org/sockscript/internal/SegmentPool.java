package org.sockscript.internal;

import java.util.ArrayDeque;

/**
 * Fixed-size byte arrays that drained {@link InboundBuffer}s hand back, so a busy socket reuses
 * the same memory instead of growing, copying and dropping arrays on every burst (which made the
 * allocation rate, and with it G1's young generation and the process's RSS, follow the traffic).
 * Bounded: beyond {@link #maxPooled} arrays, returned ones are left to the GC. Idle sockets hold
 * none. One pool per registry; thread-safe (script threads take data on their fast path).
 */
final class SegmentPool {

  /** Bytes per segment: a power of two, so positions split into segment and offset by shifts. */
  static final int SIZE = 64 * 1024; // one loop read's worth: a 64 KiB chunk mostly sits in one
  static final int SHIFT = 16;

  private final ArrayDeque<byte[]> free = new ArrayDeque<>();
  private final int maxPooled;

  /** A pool that keeps at most {@code maxBytes} of idle segments. */
  SegmentPool(int maxBytes) {
    this.maxPooled = Math.max(0, maxBytes / SIZE);
  }

  /** A segment, reused if one is free. Its contents are whatever was there before. */
  synchronized byte[] take() {
    byte[] segment = free.pollFirst();
    return segment != null ? segment : new byte[SIZE];
  }

  /** Gives {@code segment} back; it must not be used afterwards. */
  synchronized void give(byte[] segment) {
    if (free.size() < maxPooled) {
      free.addFirst(segment); // last in, first out: the one most likely still in cache
    }
  }

  /** Idle segments held, for tests and diagnostics. */
  synchronized int pooled() {
    return free.size();
  }
}
