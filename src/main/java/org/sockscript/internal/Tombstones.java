package org.sockscript.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.sockscript.Chunk;
import org.sockscript.SocketEofException;

/**
 * What became of sockets that ended without the script closing them: failed (socketError) or
 * closed by the peer. A blocking verb on such a name throws the same failure (or {@code eof}),
 * whether it was already waiting or came a moment later, so a script sees one outcome, not a
 * race between "the reason" and "socket is not open". Bounded; cleared by close or a new open.
 */
final class Tombstones {

  private static final int KEEP = 1024;
  /** Marks a socket the peer closed cleanly. */
  static final IOException PEER_CLOSED = new IOException("closed by the peer");

  private final Map<String, IOException> ended = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, IOException> eldest) {
      return size() > KEEP;
    }
  };

  void bury(String key, IOException failure) {
    ended.put(key, failure == null ? PEER_CLOSED : failure);
  }

  /** Forgets the name's end; true if there was one. */
  boolean clear(String key) {
    return ended.remove(key) != null;
  }

  /** The failure a verb on an ended socket throws, or null if the name never ended. */
  IOException failure(String key, String name, Chunk chunk) {
    IOException failure = ended.get(key);
    if (failure == null) {
      return null;
    }
    if (failure == PEER_CLOSED) {
      return chunk != null ? new SocketEofException(name, chunk, new byte[0], java.nio.charset.StandardCharsets.UTF_8)
          : new IOException("socket is not open: \"" + name + "\" was closed by the peer");
    }
    return again(failure);
  }

  /** Why the name ended, for the message of a callback verb that cannot throw it. */
  String reason(String key) {
    IOException failure = ended.get(key);
    return failure == null ? null : failure.getMessage();
  }

  /** A fresh copy of {@code failure}, so each caller gets its own stack trace. */
  static IOException again(IOException failure) {
    IOException copy;
    if (failure instanceof SSLHandshakeException) {
      copy = new SSLHandshakeException(failure.getMessage());
    } else if (failure instanceof SSLException) {
      copy = new SSLException(failure.getMessage());
    } else if (failure instanceof java.net.SocketTimeoutException) {
      copy = new java.net.SocketTimeoutException(failure.getMessage());
    } else {
      copy = new IOException(failure.getMessage());
    }
    copy.initCause(failure);
    return copy;
  }
}
