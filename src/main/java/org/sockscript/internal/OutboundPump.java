package org.sockscript.internal;

import java.io.IOException;
import javax.net.ssl.SSLException;

/**
 * A connection's outbound side in motion: sends what can be sent now, strictly in order —
 * plaintext writes queued before {@code secure}, then the handshake, then TLS records (rules 1
 * and 2 of {@link Upgrade}) — and, when closing, a close_notify after everything queued. Loop
 * thread only; it holds the write queue's lock (and the TLS stage) while it sends, because script
 * threads may write a socket directly (see {@link WriteQueue}, {@link CallerTls}).
 */
final class OutboundPump {

  private final Connection c;
  /** The socket took less than offered: wait for OP_WRITE. */
  boolean blocked;

  OutboundPump(Connection c) {
    this.c = c;
  }

  void flush() {
    if (c.state == Connection.State.CONNECTING || c.state == Connection.State.CLOSED) {
      return;
    }
    c.writes.lock.lock();
    try {
      TlsStage tls = c.tls; // (set under this lock)
      if (tls != null) {
        tls.enter(null, true); // a script thread may be writing through it (see CallerTls)
      }
      try {
        flushLocked();
      } finally {
        if (tls != null) {
          tls.exit();
        }
      }
    } finally {
      c.writes.lock.unlock();
    }
  }

  private void flushLocked() {
    if (c.callerFailure != null) {
      c.failFromTls(c.callerFailure); // a script thread's TLS step failed: reported before anything moves
      return;
    }
    TlsStage tls = c.tls;
    long sentBefore = c.channel.bytesWritten();
    try {
      blocked = false;
      while (!blocked) {
        if (tls != null && tls.hasOutput()) {
          blocked = !tls.sendHeld(c.channel);
        } else if (tls != null && !tls.started() && !c.writes.plaintextPending()) {
          if (c.state == Connection.State.CLOSING) {
            break; // closed before the handshake began: the plaintext is out, TLS never starts
          }
          c.clock.handshakeBegan();
          tls.begin(c.reads.inbound); // the last plaintext write is out: the handshake may follow
          if (!c.handshakeProgressed()) {
            return;
          }
        } else if (!sendHeadWrite(tls)) {
          if (c.state == Connection.State.CLOSING && c.writes.allSent() && tls != null && tls.done()
              && !tls.outboundClosed()) {
            tls.closeOutbound(); // close_notify goes after everything queued
            continue;
          }
          break;
        }
      }
    } catch (SSLException e) {
      c.upgrade.failed(c, e);
      return;
    } catch (IOException e) {
      c.fail(c.ioFailure(e));
      return;
    } finally {
      if (c.channel.bytesWritten() > sentBefore) {
        c.clock.sent(); // progress only when bytes moved
      }
    }
    if (c.state == Connection.State.CLOSING && !blocked && c.writes.allSent()) {
      c.closeNow();
      return;
    }
    c.updateInterest();
  }

  /** Makes progress on the head write; false when there is nothing to do for now. */
  private boolean sendHeadWrite(TlsStage tls) throws IOException {
    WriteQueue writes = c.writes;
    WriteRequest head = writes.head();
    if (head == null) {
      return false;
    }
    if (!head.plaintext && tls == null) { // issued after a secure that was refused (or is not set up yet)
      if (c.upgradeRequested) {
        return false; // rule 2: it waits for the upgrade being set up
      }
      head.plaintext = true; // that secure never happened: the write goes as if it was never called
    }
    if (head.plaintext) {
      c.channel.write(writes.plaintextBatch());
      if (writes.completeSent(c) > 0) {
        c.clock.writeHeadChanged();
      }
      if (!writes.isEmpty() && writes.head().plaintext && writes.head().data.hasRemaining()) {
        blocked = true;
        return false;
      }
      return true;
    } else if (!tls.done()) {
      return false; // rule 2: held until the handshake completes
    } else if (head.data.hasRemaining()) {
      blocked = tls.wrapAndSend(head.data, c.channel);
      return true;
    }
    writes.completeHead(c);
    c.clock.writeHeadChanged();
    return true;
  }
}
