package org.sockscript.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes a socket has received and the script has not read yet. Grows on demand and gives its
 * memory back when drained, so an idle socket holds no buffer. Loop thread only.
 */
public final class InboundBuffer {

  private static final byte[] EMPTY = new byte[0];
  private static final int KEEP_WHEN_EMPTY = 8 * 1024;

  private byte[] bytes = EMPTY;
  private int start;
  private int end;

  /** How many unread bytes there are. */
  public synchronized int size() {
    return end - start;
  }

  /** The unread byte at {@code index} (0 = oldest). */
  public synchronized byte get(int index) {
    return bytes[start + index];
  }

  /** Appends the remaining bytes of {@code src}, consuming them. */
  public synchronized void append(ByteBuffer src) {
    int n = src.remaining();
    ensureRoom(n);
    src.get(bytes, end, n);
    end += n;
  }

  /** Appends {@code length} bytes of {@code src} from {@code offset}. */
  public synchronized void append(byte[] src, int offset, int length) {
    ensureRoom(length);
    System.arraycopy(src, offset, bytes, end, length);
    end += length;
  }

  /** Removes and returns the oldest {@code n} bytes. */
  public synchronized byte[] take(int n) {
    byte[] out = Arrays.copyOfRange(bytes, start, start + n);
    start += n;
    if (start == end) {
      clear();
    }
    return out;
  }

  /** Removes and returns everything. */
  public synchronized byte[] takeAll() {
    return take(size());
  }

  /** Forgets every unread byte. */
  public synchronized void clear() {
    start = 0;
    end = 0;
    if (bytes.length > KEEP_WHEN_EMPTY) {
      bytes = EMPTY;
    }
  }

  /** A read-only view of the unread bytes, for decoding without copying. */
  public synchronized ByteBuffer view() {
    return ByteBuffer.wrap(bytes, start, end - start).asReadOnlyBuffer();
  }

  /**
   * The index of the first occurrence of {@code pattern} at or after {@code from}, or -1.
   */
  public synchronized int indexOf(byte[] pattern, int from) {
    int last = end - pattern.length;
    byte first = pattern[0];
    for (int i = start + Math.max(from, 0); i <= last; i++) {
      if (bytes[i] != first) {
        continue;
      }
      int k = 1;
      while (k < pattern.length && bytes[i + k] == pattern[k]) {
        k++;
      }
      if (k == pattern.length) {
        return i - start;
      }
    }
    return -1;
  }

  private void ensureRoom(int n) {
    if (bytes.length - end >= n) {
      return;
    }
    int size = size();
    if (bytes.length - size >= n && start > 0 && size <= bytes.length / 2) {
      System.arraycopy(bytes, start, bytes, 0, size);
    } else {
      long wanted = Math.max(Math.max(1024, (long) bytes.length * 2), (long) size + n);
      byte[] grown = new byte[(int) Math.min(wanted, Integer.MAX_VALUE - 16)];
      System.arraycopy(bytes, start, grown, 0, size);
      bytes = grown;
    }
    start = 0;
    end = size;
  }
}
