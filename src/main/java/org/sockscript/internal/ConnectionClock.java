package org.sockscript.internal;

/**
 * The socket timeout of one connection: a watchdog that fires when the thing the connection
 * waits for (the connect, the head read, the head write, the final flush) has made no progress
 * for the registry's timeout interval. Progress only stamps a time; the one timer re-arms itself
 * lazily, so busy sockets cost no timer churn.
 *
 * <p>Two waits are deadlines rather than idle timers. A TLS handshake must complete within the
 * interval counted from its start: a peer sending a byte every few seconds cannot hold an engine
 * forever. And a socket whose peer has ended its data (half-close) closes once it has been idle,
 * with nothing queued, for the interval, so a script that forgets it leaks no descriptor.
 */
final class ConnectionClock {

  private final Connection c;
  private EventLoop.Timer timer;
  private long stateSince;
  private long lastReceive;
  private long lastSend;
  /** Volatile: a script thread that queues its read itself stamps it (see {@link ReadQueue}). */
  private volatile long readHeadSince;
  private long writeHeadSince;
  /** When the TLS handshake began (its first record was made), or 0. */
  private long handshakeSince;

  ConnectionClock(Connection c) {
    this.c = c;
    long now = System.nanoTime();
    stateSince = lastReceive = lastSend = readHeadSince = writeHeadSince = now;
  }

  void stateChanged() {
    stateSince = System.nanoTime();
  }

  /** The handshake begins now: its deadline runs from here. */
  void handshakeBegan() {
    handshakeSince = System.nanoTime();
  }

  void received() {
    lastReceive = System.nanoTime();
  }

  void sent() {
    lastSend = System.nanoTime();
  }

  void readHeadChanged() {
    readHeadSince = System.nanoTime();
  }

  /** The head read became head at {@code at}: called by a script thread queueing its own read. */
  void readHeadChanged(long at) {
    readHeadSince = at;
  }

  /** Makes sure the timer fires no later than one interval after the head read was queued. */
  void armForHeadRead() {
    armBy(readHeadSince + c.core.settings.timeoutNanos);
  }

  /** Makes sure the timer fires no later than {@code deadline} (nanoTime). */
  private void armBy(long deadline) {
    if (timer != null && timer.deadline > deadline) {
      timer.cancel();
      timer = null;
    }
    if (timer == null) {
      timer = c.core.loop.schedule(Math.max(1, deadline - System.nanoTime()), this::fire);
    }
  }

  void writeHeadChanged() {
    writeHeadSince = System.nanoTime();
  }

  void stop() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  /** Makes sure a timer runs if the connection waits for anything. */
  void arm() {
    long deadline = System.nanoTime() + c.core.settings.timeoutNanos;
    // A timer later than that means the interval was shortened since: fire on the new one.
    if (timer != null ? timer.deadline > deadline : waiting()) {
      armBy(deadline);
    }
  }

  private boolean waiting() {
    return c.state == Connection.State.CONNECTING || c.state == Connection.State.CLOSING
        || c.handshaking() || !c.reads.isEmpty() || !c.writes.isEmpty() || c.idling;
  }

  private void fire() {
    timer = null;
    if (c.state == Connection.State.CLOSED) {
      return;
    }
    long now = System.nanoTime();
    long limit = c.core.settings.timeoutNanos;
    long millis = limit / 1_000_000;
    long next = Long.MAX_VALUE;
    if (c.state == Connection.State.CONNECTING) {
      if (now - stateSince >= limit) {
        Opening opening = c.opening;
        c.closeNow(); // release the name before the waiting open returns
        if (opening != null) {
          opening.timedOut(c);
        }
        return;
      }
      next = stateSince;
    } else if (c.state == Connection.State.CLOSING) {
      long since = Math.max(stateSince, lastSend);
      if (now - since >= limit) {
        c.closeNow();
        return;
      }
      next = since;
    } else {
      if (c.handshaking()) {
        // Begun: a deadline. Not yet (plaintext queued before secure still going out): idle time.
        long since = c.tls.started() ? handshakeSince : Math.max(stateSince, lastSend);
        if (now - since >= limit) {
          c.fail(Failures.handshakeTimeout(c.name, millis));
          return;
        }
        next = since;
      }
      if (c.idling && c.reads.isEmpty() && c.writes.isEmpty()) {
        long since = Math.max(stateSince, lastSend);
        if (now - since >= limit) {
          ConnectionEnd.idleAfterPeerEnd(c);
          return;
        }
        next = Math.min(next, since);
      }
      if (!c.reads.isEmpty() && !c.handshaking()) {
        long since = Math.max(readHeadSince, lastReceive);
        ReadRequest read = now - since >= limit
            ? c.reads.timeOutHead(c, () -> now - Math.max(readHeadSince, lastReceive) >= limit, millis)
            : null;
        if (read != null) {
          readHeadChanged();
          if (read.isBlocking()) {
            c.serveReadsNow(); // the next read may be satisfiable already
          } else {
            c.events.socketTimeout(c.name);
          }
        }
        since = Math.max(readHeadSince, lastReceive);
        next = Math.min(next, since);
      }
      WriteRequest write = c.writes.head();
      if (write != null && !c.handshaking()) {
        long since = Math.max(writeHeadSince, lastSend);
        if (now - since >= limit) {
          if (write.isBlocking()) {
            c.fail(Failures.writeTimeout(c.name, millis, write.data.remaining(), write.size));
            return;
          }
          c.events.socketTimeout(c.name);
          writeHeadChanged();
          since = writeHeadSince;
        }
        next = Math.min(next, since);
      }
    }
    if (next != Long.MAX_VALUE && waiting()) {
      timer = c.core.loop.schedule(Math.max(1, next + limit - now), this::fire);
    }
  }
}
