package org.sockscript.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Connections that ended without the script closing them: failed (socketError) or closed by the
 * peer. A blocking verb on such a name is still served by the ended connection, which answers
 * with its failure (or {@code eof}), whether the call was already waiting or came a moment later:
 * a script sees one outcome, not a race between "the reason" and "socket is not open".
 * Bounded; a name's entry goes when the script closes it or opens it again.
 */
final class Tombstones {

  private static final int KEEP = 1024;
  /** Marks a connection the peer closed cleanly. */
  static final IOException PEER_CLOSED = new IOException("closed by the peer");

  private final Map<String, Connection> ended = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Connection> eldest) {
      return size() > KEEP;
    }
  };

  void bury(String key, Connection connection) {
    ended.put(key, connection);
  }

  /** Forgets the name's end; true if there was one. */
  boolean clear(String key) {
    return ended.remove(key) != null;
  }

  /** The ended connection of that name, or null. */
  Connection get(String key) {
    return ended.get(key);
  }

  /** Why an ended connection stopped, for messages. */
  static String reason(Connection c) {
    return c.ended == PEER_CLOSED ? "closed by the peer" : String.valueOf(c.ended.getMessage());
  }

  /** What a verb on {@code c}, which ended without the script closing it, throws: why it ended. */
  static IOException failureOf(Connection c) {
    return c.ended == PEER_CLOSED ? Failures.closedByPeer(c.name) : again(c.ended);
  }

  /** Answers a read issued after {@code c} ended: {@code eof} if the peer closed, else the failure. */
  static void answer(Connection c, ReadRequest read, IOException ended) {
    if (ended == PEER_CLOSED) {
      read.completeAtEof(c, new byte[0]);
    } else {
      read.fail(again(ended));
    }
  }

  /** Answers a write issued after {@code c} ended: it is not sent. */
  static void answer(Connection c, WriteRequest write, IOException ended) {
    write.fail(ended == PEER_CLOSED ? Failures.closedByPeer(c.name) : again(ended));
    if (write.reserved) {
      c.writes.budget.release(write.size);
    }
  }

  /** A fresh copy of {@code failure}, so each caller gets its own stack trace. */
  static IOException again(IOException failure) {
    IOException copy;
    if (failure instanceof org.sockscript.SocketTruncatedException) {
      copy = Failures.truncated(failure, new byte[0], java.nio.charset.StandardCharsets.UTF_8);
    } else if (failure instanceof SSLHandshakeException) {
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
