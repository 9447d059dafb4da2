package org.sockscript.websocket;

import java.io.IOException;

/** Where a {@link FrameReader} gets its bytes: a socket's {@code readBytes(name, Chunk.bytes(n))}, or an array in tests. */
@FunctionalInterface
interface FrameSource {

  /** Exactly {@code n} (at least 1) bytes, waiting for them; throws at the end of the stream. */
  byte[] read(int n) throws IOException;

  /** The frame whose bytes were read is whole: a stall from here on loses nothing. */
  default void frameDone() {}
}
