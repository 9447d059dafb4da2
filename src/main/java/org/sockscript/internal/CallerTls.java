package org.sockscript.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A script thread reading or writing a TLS socket itself, as it already does a plain one: a
 * blocking read with nothing decrypted in hand reads the socket and decrypts on the caller's
 * thread; a blocking write with nothing queued ahead encrypts and writes there. Each saves the
 * two thread hand-offs through the loop that made TLS bulk data cross four busy threads.
 *
 * <p><b>When.</b> Only on a socket whose handshake is done and reported ({@link #steady}), open,
 * not ended by its peer, never on the loop thread, and only with a scratch from the registry's
 * small pool; otherwise the loop does the work, as before. Everything else a TLS socket meets —
 * the upgrade, the handshake, a close_notify, a failure, the truncation rules — stays with the
 * loop: a script thread that meets one of them hands it over ({@link Connection#loopOwed}, {@link Connection#callerFailure}).
 *
 * <p><b>Locks.</b> The {@link TlsStage} is held by whoever runs it, from the socket call until
 * the engine is done with the bytes, so records are read, decrypted and sent in order; a
 * {@code close} (which frees the engine under the stage) waits for a script thread inside it,
 * which then sees the stage freed. Order: a connection's write queue, then its stage, then its
 * inbound buffer. A reader holds the inbound buffer (its fast path) and so only tries the stage;
 * a writer holds the write queue and waits for the stage, as the loop's flush does.
 */
final class CallerTls {

  private CallerTls() {}

  /** Whether a script thread may run {@code c}'s TLS stage now. */
  static boolean steady(Connection c) {
    Upgrade up = c.upgrade; // (volatile: read first, so the stage set with it is seen)
    TlsStage tls = c.tls;
    return up != null && up.reported && tls != null && tls.done() && !c.upgradeRequested
        && c.state == Connection.State.OPEN && c.ended == null && !c.peerClosed
        && c.callerFailure == null && !EventLoop.onLoopThread();
  }

  /**
   * Script thread, holding {@code c}'s inbound buffer: reads the socket and decrypts what came
   * into that buffer, or first into {@code into} (the caller's array, when the buffer is empty;
   * {@link ReadRequest#taken} then says how much went there). Returns what the socket read returned (bytes read, 0, or -1 at its end,
   * which the loop then meets itself), 0 if the stage is busy (the loop is reading it), or -1 if
   * this thread may not, or failed ({@code read.directFailure} then says why, for the loop).
   */
  static int read(Connection c, ReadRequest read, ByteBuffer into) {
    int start = into == null ? 0 : into.position();
    if (!steady(c)) {
      return -1;
    }
    TlsStage tls = c.tls;
    TlsScratch own = c.core.scratchPool.borrow();
    if (own == null) {
      return 0;
    }
    try {
      if (!tls.enter(own, false)) {
        return 0;
      }
      try {
        if (c.state != Connection.State.OPEN) {
          return -1;
        }
        ByteBuffer net = own.net;
        net.clear();
        tls.prependHeldInput(net);
        int n = c.channel.read(net);
        net.flip();
        if (net.hasRemaining()) {
          tls.decryptInto(into);
          try {
            tls.receive(net, c.reads.inbound); // (a partial record is kept, or goes back, as held input)
          } finally {
            tls.decryptInto(null);
            if (into != null) {
              read.tookInto(into.position() - start);
            }
          }
        }
        if (tls.closeNotifyReceived() || tls.hasOutput() || n < 0) {
          c.loopOwed = true; // the peer's end, or records to send (a KeyUpdate's answer): the loop's
        }
        return n;
      } catch (IOException | RuntimeException e) {
        throw c.callerFailure = failure(e); // under the stage: the loop, next in, reports it first
      } finally {
        tls.exit();
      }
    } catch (IOException e) {
      read.directFailure = e;
      return -1;
    } finally {
      c.core.scratchPool.giveBack(own);
    }
  }

  /**
   * Script thread, holding {@code c}'s write queue with nothing in flight: encrypts and writes
   * {@code w} (up to {@link #DIRECT_LIMIT} bytes of it). Returns false if it did nothing (the
   * caller queues the write whole); otherwise true, and {@code w} is either complete or must be
   * queued for the rest ({@code w.data} left, or records the socket did not take): see
   * {@link #needsLoop}.
   */
  static boolean write(Connection c, WriteRequest w) {
    if (!steady(c) || c.closeRequested) {
      return false;
    }
    TlsStage tls = c.tls;
    TlsScratch own = c.core.scratchPool.borrow();
    if (own == null) {
      return false;
    }
    int before = w.data.remaining();
    try {
      if (tls.loopWaiting() || !tls.enter(own, true)) {
        return false; // the loop goes first: it serves every socket
      }
      try {
        if (c.state != Connection.State.OPEN || tls.outboundClosed() || tls.hasOutput()) {
          return false; // closing, or records ahead of it: the loop sends them first
        }
        boolean blocked = false;
        while (w.data.hasRemaining() && !blocked && before - w.data.remaining() < DIRECT_LIMIT) {
          blocked = tls.wrapAndSend(w.data, c.channel);
        }
      } catch (IOException | RuntimeException e) {
        c.callerFailure = failure(e); // records may be lost: the loop fails the socket, and this write with it
      } finally {
        tls.exit();
      }
    } finally {
      c.core.scratchPool.giveBack(own);
    }
    return true;
  }

  /** After {@link #write} returned true: whether the loop must finish the write (or fail it). */
  static boolean needsLoop(Connection c, WriteRequest w) {
    return w.data.hasRemaining() || c.tls.hasOutput() || c.callerFailure != null;
  }

  /** A script thread's failure as the loop reports it: an engine's unchecked one as TLS's. */
  private static IOException failure(Exception e) {
    return e instanceof IOException ? (IOException) e
        : new javax.net.ssl.SSLException("the TLS engine failed: " + e, e);
  }

  /**
   * Bytes one direct write encrypts before leaving the rest to the loop: a batch, so the loop,
   * which may wait for the stage meanwhile, waits briefly.
   */
  static final int DIRECT_LIMIT = 64 * 1024;
}
