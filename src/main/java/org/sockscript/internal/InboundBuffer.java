package org.sockscript.internal;

import java.nio.ByteBuffer;

/**
 * The bytes a socket has received and the script has not read yet, held in fixed-size segments
 * from the registry's {@link SegmentPool}: appending never copies what is already held, taking
 * copies each byte once, and a drained buffer gives its segments back, so an idle socket holds no
 * memory. The loop appends and matches; a script thread may take, or read its socket into it
 * ({@link #fillFrom}), on its fast path, so every method holds this object's lock.
 *
 * <p>Layout: {@code ring[first .. first+count)} are the segments in order; the unread bytes run
 * from offset {@link #head} of the first to offset {@link #tail} of the last.
 */
public final class InboundBuffer {

  private static final int MASK = SegmentPool.SIZE - 1;

  private final SegmentPool pool;
  private static final byte[][] NO_SEGMENTS = new byte[0][];

  private byte[][] ring = NO_SEGMENTS; // grown at the first byte: a socket never read from carries none
  private int first;
  private int count;
  private int head;
  private int tail;
  private int size;

  InboundBuffer(SegmentPool pool) {
    this.pool = pool;
  }

  /** How many unread bytes there are. */
  public synchronized int size() {
    return size;
  }

  /** The unread byte at {@code index} (0 = oldest). */
  public synchronized byte get(int index) {
    int at = head + index;
    return segment(at >>> SegmentPool.SHIFT)[at & MASK];
  }

  /** Appends the remaining bytes of {@code src}, consuming them. */
  public synchronized void append(ByteBuffer src) {
    while (src.hasRemaining()) {
      byte[] last = room();
      int n = Math.min(src.remaining(), SegmentPool.SIZE - tail);
      src.get(last, tail, n);
      tail += n;
      size += n;
    }
  }

  /**
   * Reads from {@code channel} into the room at the end (what is left of the last segment, or a
   * new one); returns what the read returned. A script thread's fast path, under the lock that
   * the loop also reads under, so bytes are appended in the order they came.
   */
  synchronized int fillFrom(ConnectionChannel channel) throws java.io.IOException {
    byte[] last = room();
    int n = 0;
    try {
      n = channel.read(ByteBuffer.wrap(last, tail, SegmentPool.SIZE - tail));
      if (n > 0) {
        tail += n;
        size += n;
      }
    } finally {
      if (size == 0) {
        skip(0); // nothing came: an idle socket keeps no segment
      }
    }
    return n;
  }

  /** Appends {@code length} bytes of {@code src} from {@code offset}. */
  public synchronized void append(byte[] src, int offset, int length) {
    while (length > 0) {
      byte[] last = room();
      int n = Math.min(length, SegmentPool.SIZE - tail);
      System.arraycopy(src, offset, last, tail, n);
      tail += n;
      size += n;
      offset += n;
      length -= n;
    }
  }

  /** Removes and returns the oldest {@code n} bytes. */
  public synchronized byte[] take(int n) {
    byte[] out = copy(n);
    skip(n);
    return out;
  }

  /** Removes the oldest {@code n} bytes into {@code dst} from {@code offset}. */
  public synchronized void takeInto(byte[] dst, int offset, int n) {
    copyTo(dst, offset, 0, n);
    skip(n);
  }

  /** Removes and returns everything. */
  public synchronized byte[] takeAll() {
    return take(size);
  }

  /** A copy of the oldest {@code n} bytes (at most {@link #size}), left in place. */
  public synchronized byte[] peek(int n) {
    return copy(Math.min(n, size));
  }

  /** Forgets every unread byte and gives the segments back. */
  public synchronized void clear() {
    skip(size);
  }

  /** The index of the first occurrence of {@code pattern} at or after {@code from}, or -1. */
  public synchronized int indexOf(byte[] pattern, int from) {
    int last = size - pattern.length;
    byte lead = pattern[0];
    int i = Math.max(from, 0);
    while (i <= last) {
      // Scan for the first byte within one segment at a time (the common, fast part).
      int at = head + i;
      byte[] seg = segment(at >>> SegmentPool.SHIFT);
      int off = at & MASK;
      int stop = Math.min(SegmentPool.SIZE, off + (last - i) + 1);
      while (off < stop && seg[off] != lead) {
        off++;
      }
      i += off - (at & MASK);
      if (off == stop) {
        continue; // not in this segment: on to the next
      }
      if (matchesAt(pattern, i)) {
        return i;
      }
      i++;
    }
    return -1;
  }

  private boolean matchesAt(byte[] pattern, int index) {
    for (int k = 1; k < pattern.length; k++) {
      if (get(index + k) != pattern[k]) {
        return false;
      }
    }
    return true;
  }

  private byte[] segment(int k) {
    return ring[(first + k) & (ring.length - 1)];
  }

  /** The last segment with room at its end, adding one from the pool if needed. */
  private byte[] room() {
    if (count == 0 || tail == SegmentPool.SIZE) {
      if (count == ring.length) {
        byte[][] grown = new byte[Math.max(4, ring.length * 2)][];
        for (int k = 0; k < count; k++) {
          grown[k] = segment(k);
        }
        ring = grown;
        first = 0;
      }
      ring[(first + count) & (ring.length - 1)] = pool.take();
      if (count == 0) {
        head = 0;
      }
      count++;
      tail = 0;
    }
    return segment(count - 1);
  }

  private byte[] copy(int n) {
    if (n == 0) {
      return new byte[0];
    }
    // copyOfRange from the first segment: the JIT then zeroes only what the other segments fill.
    byte[] out = java.util.Arrays.copyOfRange(segment(0), head, head + n);
    copyTo(out, 0, Math.min(n, SegmentPool.SIZE - head), n);
    return out;
  }

  /** Copies unread bytes {@code [from, n)} to {@code dst[offset + from ..]}, segment by segment. */
  private void copyTo(byte[] dst, int offset, int from, int n) {
    for (int done = from; done < n; ) {
      int at = head + done;
      int len = Math.min(n - done, SegmentPool.SIZE - (at & MASK));
      System.arraycopy(segment(at >>> SegmentPool.SHIFT), at & MASK, dst, offset + done, len);
      done += len;
    }
  }

  /** Drops the oldest {@code n} bytes, giving emptied segments back to the pool. */
  private void skip(int n) {
    size -= n;
    head += n;
    while (count > 0 && (head >= SegmentPool.SIZE || size == 0)) {
      if (size == 0 && count == 1) {
        head = 0;
        tail = 0;
      } else {
        head -= SegmentPool.SIZE;
      }
      pool.give(ring[first]);
      ring[first] = null;
      first = (first + 1) & (ring.length - 1);
      count--;
    }
    if (count == 0) {
      head = 0;
      tail = 0;
      first = 0;
    }
  }
}
