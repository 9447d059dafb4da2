package org.sockscript.internal;

import java.io.IOException;
import javax.net.ssl.SSLException;
import org.sockscript.TlsInfo;
import org.sockscript.internal.tls.TlsFailureReason;

/**
 * One TLS upgrade of a connection ({@code secure}, {@code openSecure} or a secure listener's
 * connection), carried out by {@link Connection} and {@link TlsStage} on the loop thread.
 *
 * <h2>The rules (DESIGN §4), and where each is kept</h2>
 * <ol>
 *   <li><b>Writes queued before {@code secure} finish in plaintext, in order.</b> Every queued
 *       write is stamped {@code plaintext} when it is queued (issue order = queue order on the
 *       loop); {@link Connection#flush()} sends those raw.</li>
 *   <li><b>Every write issued after {@code secure} is encrypted.</b> It is stamped not-plaintext
 *       and {@code flush} holds it until the handshake is done; on failure it is dropped with the
 *       socket, never sent plain. The handshake itself starts only once the last plaintext write
 *       has been handed to the OS, so the peer sees the plaintext reply before any TLS record.</li>
 *   <li><b>Unread and future inbound bytes are TLS input.</b> {@link #start}
 *       moves every byte the script has not read into the TLS stage — first the chunks of
 *       callback reads matched but not yet handed to the script ({@link Delivery}: those reads
 *       wait again), then the buffer — and routes all later network input there. Injected
 *       plaintext therefore fails the handshake instead of reaching the script, however the
 *       reads were pipelined, and a ClientHello that arrived with the STARTTLS line is used.</li>
 *   <li><b>Verification</b> (chain and name, SNI) is set on the engine before it exists here,
 *       from one reading of the registry's TLS settings ({@code internal.tls.TlsConfig}); a
 *       caller's own {@code SSLContext} gets the library's name check when the handshake is done
 *       ({@link TlsStage}), and a TLS 1.2 renegotiation is refused there, in every provider.</li>
 *   <li><b>Failure is reported once</b>, as {@code socketError} to the socket's listener (or to
 *       the waiting {@code open}), with a specific reason; waiting calls fail with it; the socket
 *       is closed. There is no path back to plaintext. A peer that ended its data before the
 *       handshake could finish fails it ({@link Connection#handshakeProgressed}), whether it hung
 *       up before {@code secure} was called or after.</li>
 *   <li><b>A deadline</b>: the handshake must finish within the socket timeout interval from its
 *       start ({@link ConnectionClock}).</li>
 *   <li><b>Misuse</b> (already secure, mid-upgrade, closed, a listener) is refused by
 *       {@link SocketCore#secure} before anything changes.</li>
 * </ol>
 */
final class Upgrade {

  final TlsStage stage;
  /** Completed with the TLS details after the handshake, or with the failure. */
  final java.util.concurrent.CompletableFuture<TlsInfo> secured = new java.util.concurrent.CompletableFuture<>();
  volatile boolean reported;

  Upgrade(TlsStage stage) {
    this.stage = stage;
  }

  /** Why {@code secure} may not start on {@code c} now (rule 6), or null if it may. */
  static String refusal(Connection c) {
    if (c.state == Connection.State.CLOSED || c.state == Connection.State.CLOSING) {
      return "socket is not open: \"" + c.name + "\"";
    }
    if (c.tls != null && c.tls.done()) {
      return "socket is already secure: \"" + c.name + "\"";
    }
    if (c.tls != null) {
      return "socket is mid-upgrade: \"" + c.name + "\" (its TLS handshake has not finished)";
    }
    return null;
  }

  /**
   * {@code secure} was called on {@code c} (any thread): rules 2 and 3, from this moment bytes
   * wait for the TLS stage. Under the writes' lock, so no later write goes plain, and the socket
   * reader's, so a script thread reading the socket finishes first and none starts after.
   */
  static void request(Connection c) {
    c.reads.socketReader.lock();
    try {
      c.writes.lock.lock();
      try {
        synchronized (c.reads.inbound) { // so a callback read's answer is handed over before, or never
          c.upgradeRequested = true;
        }
      } finally {
        c.writes.lock.unlock();
      }
    } finally {
      c.reads.socketReader.unlock();
    }
  }

  /** Rule 3 on the loop: from now on every inbound byte of {@code c}, held or future, is TLS input. */
  static void start(Connection c, Upgrade up) {
    c.writes.lock.lock();
    try {
      c.upgrade = up;
      c.tls = up.stage;
      c.tls.tap = c.channel.tap.tlsStarted();
    } finally {
      c.writes.lock.unlock();
    }
    c.tls.hold(c.reads.takeUnreadForUpgrade());
    if (c.peerClosed) { // it ended its data (before or as secure was called): no handshake can finish
      c.upgradeRequested = false;
      c.fail(Failures.closedDuringHandshake(c.name));
      return;
    }
    c.upgradeRequested = false; // only now: writes see the stage, and no unread plaintext is left
    c.clock.stateChanged();
    c.flush();
  }

  void succeeded(Connection c) {
    TlsInfo info = stage.spec().info();
    reported = true; // only now may script threads run the stage (CallerTls.steady)
    secured.complete(info);
    c.events.secured(c.name, info);
  }

  void failed(Connection c, SSLException e) {
    reported = true;
    String reason = TlsFailureReason.of(e, stage.input(), !stage.done());
    if (stage.spec() != null) {
      reason = stage.spec().explain(reason);
    }
    IOException failure = stage.done() ? new SSLException(reason + " (" + c.name + ")", e)
        : Failures.handshake(c.name, reason, e);
    stage.sendAlert(c.channel);
    c.fail(failure);
  }
}
