package org.sockscript.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers for the copies that queued byte[] writes must make anyway (the caller may reuse
 * its array). Copying into a direct buffer makes that one copy also the one the JDK would make
 * into its own temporary direct buffer at send time (and Conscrypt before encrypting), and it
 * allocates nothing on the heap per write. Bounded: at most {@link #MAX_BUFFERS} exist per
 * registry, made on first need; when all are in use, writes fall back to a heap copy. Thread-safe.
 */
final class DirectBufferPool {

  /** Writes from this size up to {@link #SIZE} use the pool; smaller ones are cheaper on the heap. */
  static final int MIN_WRITE = 8 * 1024;
  static final int SIZE = 64 * 1024;
  static final int MAX_BUFFERS = 64;

  private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
  private int created;

  /** A buffer holding a copy of {@code data} (read mode), or null if the write should use the heap. */
  ByteBuffer copyOf(byte[] data) {
    if (data.length < MIN_WRITE || data.length > SIZE) {
      return null;
    }
    ByteBuffer buffer;
    synchronized (this) {
      buffer = free.pollFirst();
      if (buffer == null) {
        if (created == MAX_BUFFERS) {
          return null;
        }
        created++;
      }
    }
    if (buffer == null) {
      buffer = ByteBuffer.allocateDirect(SIZE);
    }
    buffer.clear();
    buffer.put(data).flip();
    return buffer;
  }

  /** Gives back a buffer from {@link #copyOf}; nothing may use it afterwards. */
  synchronized void give(ByteBuffer buffer) {
    free.addFirst(buffer);
  }
}
