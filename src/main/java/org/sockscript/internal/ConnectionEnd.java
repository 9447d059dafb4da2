package org.sockscript.internal;

import java.io.IOException;

/**
 * How a {@link Connection} ends, in one place: closed by the script, hung up by the peer, or
 * failed. Each way decides what is still sent, who hears about it (once), and what later calls
 * on the name get. Loop thread only.
 */
final class ConnectionEnd {

  private ConnectionEnd() {}

  /**
   * The script closed it: waiting reads fail, queued writes are still sent (those issued after
   * an upgrade that never started are dropped: rule 2), then the socket closes. A socket still
   * connecting or mid-handshake closes at once.
   */
  static void byScript(Connection c) {
    if (c.state == Connection.State.CLOSED || c.state == Connection.State.CLOSING) {
      return;
    }
    IOException closed = Failures.closedByScript(c.name);
    c.ended = closed;
    c.reads.failAll(closed);
    if (c.state == Connection.State.CONNECTING || (c.tls != null && c.tls.started() && !c.tls.done())) {
      if (c.opening != null) {
        c.opening.cancelled(closed);
        c.opening = null;
      }
      c.writes.failAll(closed);
      now(c);
      return;
    }
    if (c.tls != null && !c.tls.started()) {
      c.writes.dropEncrypted(closed); // rule 1: the plaintext ones still go; TLS never starts
    }
    c.beginClosing();
  }

  /**
   * The socket read its end (a FIN). Plain: the peer's data ends. TLS without the peer's
   * close_notify: mid-handshake a failure; after it, a truncation that every read needing the
   * end will meet.
   */
  static void endOfStream(Connection c) {
    c.peerClosed = true;
    if (c.tls != null && !c.tls.closeNotifyReceived()) {
      if (!c.tls.done()) {
        fail(c, Failures.closedDuringHandshake(c.name));
        return;
      }
      c.truncation = Failures.truncated(c.name, c.tls.decryptedBytes());
    }
  }

  /**
   * The peer ended its data and the script has read everything: {@code socketClosed}, once. The
   * end of the peer's data is not the end of the conversation (half-close): writes go on until
   * the script closes the name, the peer resets, or the socket idles for the timeout interval
   * ({@link #idleAfterPeerEnd}). Except where TLS ends both directions: a peer's close_notify
   * under TLS 1.2, or under an engine that answers it with its own (Conscrypt's) — then our side
   * closes after its queued writes. A TLS peer that closed without close_notify may have been cut
   * short: that is a failure ({@link Connection#truncation}), not a clean end.
   */
  static void byPeer(Connection c) {
    if (c.truncation != null) {
      fail(c, c.truncation);
      return;
    }
    if (c.peerEndReported) {
      return;
    }
    c.peerEndReported = true;
    if (c.tls != null && !c.tls.writableAfterCloseNotify()) {
      if (!c.closeRequested) {
        c.events.socketClosed(c.name, null);
      }
      idleAfterPeerEnd(c);
      return;
    }
    if (!c.closeRequested) { // half-closed: idle only once the script has had what came, and the event
      c.events.socketClosed(c.name, () -> c.core.loop.executeIfOpen(() -> startIdling(c)));
    }
  }

  private static void startIdling(Connection c) {
    if (c.state == Connection.State.OPEN) {
      c.idling = true;
      c.clock.stateChanged();
      c.updateInterest();
    }
  }

  /** A socket whose peer ended its data is done: it closes quietly after its queued writes. */
  static void idleAfterPeerEnd(Connection c) {
    c.ended = Tombstones.PEER_CLOSED;
    c.core.table.bury(c);
    c.beginClosing();
  }

  /**
   * Reports {@code failure} once (to the opener or listener, and to waiting calls), drops all,
   * closes. A socket already closing (by the script, or after socketClosed), or one the script
   * has asked to close, fails silently: the conversation was over.
   */
  static void fail(Connection c, IOException failure) {
    if (c.state == Connection.State.CLOSED) {
      return;
    }
    c.ended = failure;
    c.core.table.bury(c);
    if (c.upgrade != null) {
      c.upgrade.secured.completeExceptionally(failure);
    }
    if (c.opening != null) {
      c.opening.failed(c, failure);
      c.opening = null;
    } else if (c.state != Connection.State.CLOSING && (!c.closeRequested || c.truncationMet)) {
      c.events.socketError(c.name, failure.getMessage());
    }
    c.reads.failAll(failure);
    c.writes.failAll(failure);
    now(c);
  }

  /** Closes the channel and frees everything; calls still waiting fail. */
  static void now(Connection c) {
    if (c.state == Connection.State.CLOSED) {
      return;
    }
    c.state = Connection.State.CLOSED;
    c.endHandshake();
    if (c.ended == null) {
      c.ended = Failures.notOpen(c.name);
    }
    c.core.table.forget(c);
    c.core.live.remove(c);
    c.clock.stop();
    if (c.upgrade != null) {
      c.upgrade.secured.completeExceptionally(c.ended); // no-op if the handshake finished
    }
    c.reads.failAll(Failures.notOpen(c.name));
    c.writes.failAll(Failures.notOpen(c.name));
    c.writes.budget.close();
    if (c.tls != null) {
      c.tls.free();
    }
    c.channel.close();
  }
}
