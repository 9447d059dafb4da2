package org.sockscript.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.sockscript.TlsInfo;
import org.sockscript.internal.tls.PeerInput;
import org.sockscript.internal.tls.TlsEngine;
import org.sockscript.internal.tls.TlsRefusal;

/**
 * The TLS transport stage of one connection: an {@link SSLEngine} between the socket's bytes and
 * the script's. Network input that arrives before the handshake may start (while plaintext
 * writes queued before {@code secure} are still going out) is held, never handed to the script.
 *
 * <p>Two checks of its own, in every provider: when the handshake is done, the engine's
 * {@link TlsEngine#checkFinishedHandshake} (the name check for a caller's context) runs before a
 * byte of data moves; and on a TLS 1.2 session, a peer that starts a new handshake
 * (renegotiation, which Conscrypt refuses and the JDK's provider would run) fails the connection.
 * TLS 1.3 has no renegotiation, and its post-handshake messages (KeyUpdate, tickets) pass. It
 * keeps the first bytes of its input as evidence for a failure's reason ({@link PeerInput}).
 *
 * <p>The engine works on the loop's direct {@link TlsScratch} buffers and the loop's read
 * buffer; a stage keeps only leftovers (a partial record in, records the socket would not take
 * out) in heap buffers that exist while they are non-empty, so an idle secure socket pins none.
 * Loop thread only.
 */
final class TlsStage {

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  private static final int BATCH = 64 * 1024;

  private final TlsEngine spec;
  private final SSLEngine engine;
  /** Why this stage must not run (settings that refuse a server), or null. */
  private final String refusal;
  private final TlsScratch scratch;
  private final PeerInput input;
  private ByteBuffer heldIn;   // write mode: network bytes not yet unwrapped
  private ByteBuffer heldOut;  // write mode: records not yet taken by the socket
  /** Bytes moved to the front of the read buffer that {@link #input} has seen already. */
  private int prepended;
  private boolean started;
  private boolean done;
  private boolean closeNotifyReceived;
  private boolean closeNotifyAnswered;
  /** Application bytes the engine has decrypted: how much came before a truncation. */
  private long decrypted;
  private boolean outboundClosed;
  /** The wire trace's hook for application data (internal.trace); set when the stage is attached. */
  org.sockscript.internal.trace.WireTap tap = org.sockscript.internal.trace.WireTap.OFF;

  TlsStage(TlsEngine spec, TlsScratch scratch) {
    this(spec, null, scratch, new PeerInput(spec.engine().getUseClientMode()));
  }

  private TlsStage(TlsEngine spec, String refusal, TlsScratch scratch, PeerInput input) {
    this.spec = spec;
    this.engine = spec == null ? null : spec.engine();
    this.refusal = refusal;
    this.scratch = scratch;
    this.input = input;
  }

  /** A TLS server stage that fails as it begins, with {@code reason}: the settings refuse it. */
  static TlsStage refusing(String reason, TlsScratch scratch) {
    return new TlsStage(null, reason, scratch, new PeerInput(false));
  }

  /** What the peer sent, for a failure's reason. */
  PeerInput input() {
    return input;
  }

  boolean started() {
    return started;
  }

  /** The handshake has completed. */
  boolean done() {
    return done;
  }

  /** Whether our close_notify has been queued. */
  boolean outboundClosed() {
    return outboundClosed;
  }

  boolean closeNotifyReceived() {
    return closeNotifyReceived;
  }

  /** How many application bytes have been decrypted so far. */
  long decryptedBytes() {
    return decrypted;
  }

  /**
   * After the peer's close_notify: whether we may still send. TLS 1.3 closes each direction on
   * its own, and the JDK's engine lets us; TLS 1.2 (RFC 5246 §7.2.1) and Conscrypt's engine
   * answer with a close_notify of their own, which ends our side too.
   */
  boolean writableAfterCloseNotify() {
    return closeNotifyReceived && !closeNotifyAnswered && !outboundClosed && !engine.isOutboundDone();
  }

  int bufferedInput() {
    return heldIn == null ? 0 : heldIn.position();
  }

  boolean hasOutput() {
    return heldOut != null && heldOut.position() > 0;
  }

  /** Holds {@code bytes} as TLS input: the unread bytes of the socket when secure was called. */
  void hold(byte[] bytes) {
    input.upgradedInPlace();
    ByteBuffer held = ByteBuffer.wrap(bytes);
    input.received(held, 0);
    heldIn = scratch.stash(heldIn, held);
  }

  /**
   * Before a socket read: moves a small held partial record to the front of the loop's (direct)
   * read buffer, so the engine reads the whole record from there. Returns false if it keeps it.
   */
  void prependHeldInput(ByteBuffer readBuffer) {
    if (started && heldIn != null && heldIn.position() <= readBuffer.capacity() / 4) {
      heldIn.flip();
      prepended = heldIn.remaining();
      readBuffer.put(heldIn);
      heldIn = scratch.recycle(heldIn);
    }
  }

  /** Starts the handshake, then consumes whatever input is already held. */
  void begin(InboundBuffer app) throws SSLException {
    started = true;
    if (refusal != null) {
      throw new TlsRefusal(refusal);
    }
    engine.beginHandshake();
    receive(EMPTY, app);
  }

  /** Takes network bytes (read mode); once started, decrypts what it can into {@code app}. */
  void receive(ByteBuffer net, InboundBuffer app) throws SSLException {
    input.received(net, prepended);
    prepended = 0;
    if (!started || heldIn != null) {
      heldIn = scratch.stash(heldIn, net);
      if (started) {
        heldIn.flip();
        try {
          pump(heldIn, app);
        } finally {
          heldIn.compact();
          if (heldIn.position() == 0) {
            heldIn = scratch.recycle(heldIn);
          }
        }
      }
      return;
    }
    try {
      pump(net, app);
    } finally {
      heldIn = scratch.stash(heldIn, net); // a partial record waits for the rest
    }
  }

  /**
   * Encrypts up to a batch of {@code src} and hands it to the socket; returns true if the socket
   * would not take it all (the rest is kept and goes first next time).
   */
  boolean wrapAndSend(ByteBuffer src, ConnectionChannel channel) throws IOException {
    ByteBuffer out = scratch.records;
    out.clear();
    int before = src.remaining();
    int at = src.position();
    while (src.hasRemaining() && out.position() < BATCH && wrap(src)) {
      // one record per wrap
    }
    tap.application(true, src, at, before - src.remaining());
    if (src.remaining() == before) {
      throw new SSLException("the TLS session is closed: " + before + " bytes could not be sent");
    }
    out.flip();
    channel.write(out);
    heldOut = scratch.stash(heldOut, out);
    return hasOutput();
  }

  /** Writes records kept from earlier; returns true when all of them went out. */
  boolean sendHeld(ConnectionChannel channel) throws IOException {
    heldOut.flip();
    channel.write(heldOut);
    heldOut.compact();
    if (heldOut.position() == 0) {
      heldOut = scratch.recycle(heldOut);
      return true;
    }
    return false;
  }

  /** Queues a close_notify alert. */
  void closeOutbound() throws SSLException {
    outboundClosed = true;
    engine.closeOutbound();
    if (started) {
      wrapControl();
    }
  }

  /**
   * After a failure: lets the engine produce its alert (for example "certificate required") and
   * makes one non-blocking attempt to send it, so the peer learns why instead of seeing a bare
   * TCP close. Best effort: errors are ignored, the socket is failing anyway.
   */
  void sendAlert(ConnectionChannel channel) {
    if (engine == null) {
      return; // a refusing stage never spoke TLS
    }
    try {
      engine.closeOutbound();
      wrapControl();
      if (hasOutput() && channel.isConnected()) {
        sendHeld(channel);
      }
    } catch (IOException | RuntimeException e) {
      // nothing more to say
    }
  }

  /** Wraps what the engine wants to send on its own (handshake, alerts) into the kept output. */
  private boolean wrapControl() throws SSLException {
    ByteBuffer out = scratch.records;
    out.clear();
    for (int i = 0; i < 8 && !engine.isOutboundDone() && wrap(EMPTY); i++) {
      // collect the records
    }
    out.flip();
    boolean produced = out.hasRemaining();
    heldOut = scratch.stash(heldOut, out);
    return produced;
  }

  /**
   * Runs the handshake and decryption as far as {@code source} allows: wraps while the engine
   * has something to send, unwraps while input remains, stops when neither makes progress.
   */
  private void pump(ByteBuffer source, InboundBuffer app) throws SSLException {
    while (true) {
      HandshakeStatus status = engine.getHandshakeStatus();
      if (status == HandshakeStatus.NEED_TASK) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
          task.run();
        }
        continue;
      }
      boolean progressed = status == HandshakeStatus.NEED_WRAP && wrapControl();
      if (engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
        finished();
      }
      if (!closeNotifyReceived && source.hasRemaining()) {
        progressed |= unwrap(source, app);
      }
      if (!progressed) {
        return;
      }
    }
  }

  private boolean unwrap(ByteBuffer source, InboundBuffer app) throws SSLException {
    ByteBuffer plain = scratch.plain;
    plain.clear();
    int at = source.position();
    SSLEngineResult result;
    try {
      result = engine.unwrap(source, plain);
    } catch (SSLException e) {
      input.failedAt(source, at);
      throw e;
    }
    if (done && result.getStatus() == SSLEngineResult.Status.OK
        && result.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING
        && !"TLSv1.3".equals(engine.getSession().getProtocol())) {
      throw new TlsRefusal(TlsRefusal.RENEGOTIATION); // a new handshake on a TLS 1.2 session
    }
    plain.flip();
    if (plain.hasRemaining()) {
      decrypted += plain.remaining();
      tap.application(false, plain, plain.position(), plain.remaining());
      app.append(plain);
    }
    noteFinished(result);
    switch (result.getStatus()) {
      case BUFFER_UNDERFLOW:
        return false;
      case BUFFER_OVERFLOW:
        if (result.bytesProduced() == 0) {
          throw new SSLException("TLS record larger than " + plain.capacity() + " bytes");
        }
        return true; // the scratch was full and has been emptied into app: go on
      case CLOSED:
        closeNotifyReceived = true;
        closeNotifyAnswered = result.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; // its own goes out
        return false;
      default:
        return result.bytesConsumed() > 0 || result.bytesProduced() > 0;
    }
  }

  /** Wraps one record from {@code src} into the scratch output; false when nothing came of it. */
  private boolean wrap(ByteBuffer src) throws SSLException {
    ByteBuffer out = scratch.records;
    if (out.remaining() < engine.getSession().getPacketBufferSize()) {
      return false; // full for now: the caller sends it and comes back
    }
    SSLEngineResult result = engine.wrap(src, out);
    noteFinished(result);
    return result.getStatus() == SSLEngineResult.Status.OK
        && (result.bytesConsumed() > 0 || result.bytesProduced() > 0);
  }

  private void noteFinished(SSLEngineResult result) throws SSLException {
    if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
      finished();
    }
  }

  /** The handshake is done: the engine's last check runs first, and only then may data move. */
  private void finished() throws SSLException {
    if (!done) {
      spec.checkFinishedHandshake(engine.getSession());
      done = true;
      input.handshakeDone();
    }
  }

  /** What the finished handshake agreed. */
  TlsInfo info() {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate c : engine.getSession().getPeerCertificates()) {
        chain.add((X509Certificate) c);
      }
    } catch (SSLPeerUnverifiedException e) {
      // the peer sent no certificate (a client, usually): the chain stays empty
    }
    return new TlsInfo(engine.getSession().getProtocol(), engine.getSession().getCipherSuite(),
        chain, spec.verified(), spec.verifiedHost(), spec.provider());
  }

  /** Releases the engine (Conscrypt frees its native state once both directions are closed). */
  void free() {
    if (engine == null) {
      return;
    }
    // Conscrypt frees an engine only when both directions are done, and outbound is done only
    // once its close_notify has been wrapped: drain it into the scratch and drop it.
    try {
      engine.closeOutbound();
      for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
        scratch.records.clear();
        engine.wrap(EMPTY, scratch.records);
      }
    } catch (SSLException | RuntimeException e) {
      // the engine is failing: closing inbound below still releases it
    }
    try {
      engine.closeInbound();
    } catch (SSLException e) {
      // no close_notify from the peer: expected when we are the ones closing
    }
    heldIn = null;
    heldOut = null;
  }

  @Override
  public String toString() {
    return (!started ? "upgrading" : done ? "secure" : "handshaking") + " tlsIn=" + bufferedInput()
        + " tlsOut=" + hasOutput();
  }
}
