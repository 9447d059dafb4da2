package org.sockscript.internal;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLException;

/**
 * Network bytes a {@link TlsStage} holds before it can unwrap them: input that came before the
 * handshake could start, and a partial record waiting for the rest. Its heap buffer exists only
 * while it is non-empty (taken from, and given back to, the scratch of whoever holds the stage).
 */
final class HeldInput {

  /** The way a stage consumes network bytes (read mode), leaving what it cannot use yet. */
  interface Consumer {
    void accept(ByteBuffer net) throws SSLException;
  }

  private volatile ByteBuffer held; // write mode; null while empty

  /** How many bytes are held; any thread (a glance: exact only to whoever holds the stage). */
  int size() {
    ByteBuffer h = held;
    return h == null ? 0 : h.position();
  }

  boolean isEmpty() {
    return held == null;
  }

  /** Holds what is left of {@code src}. */
  void add(ByteBuffer src, TlsScratch scratch) {
    held = scratch.stash(held, src);
  }

  /**
   * Moves the held bytes to the front of {@code readBuffer} (a direct one, so the engine reads the
   * whole record from there) if they are few; returns how many moved, 0 if it keeps them.
   */
  int moveTo(ByteBuffer readBuffer, TlsScratch scratch) {
    ByteBuffer h = held;
    if (h == null || h.position() > readBuffer.capacity() / 4) {
      return 0;
    }
    h.flip();
    int n = h.remaining();
    readBuffer.put(h);
    held = scratch.recycle(h);
    return n;
  }

  /** Lets {@code consumer} take what it can of the held bytes, keeping the rest. */
  void drain(Consumer consumer, TlsScratch scratch) throws SSLException {
    ByteBuffer h = held;
    h.flip();
    try {
      consumer.accept(h);
    } finally {
      h.compact();
      if (h.position() == 0) {
        held = scratch.recycle(h);
      }
    }
  }

  void clear() {
    held = null;
  }
}
