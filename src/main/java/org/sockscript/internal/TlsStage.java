package org.sockscript.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.sockscript.internal.tls.PeerInput;
import org.sockscript.internal.tls.TlsEngine;
import org.sockscript.internal.tls.TlsRefusal;

/**
 * The TLS stage of one connection: an {@link SSLEngine} between the socket's bytes and the
 * script's. Input before the handshake may start is held, never handed to the script. Its own
 * checks, in every provider: {@link TlsEngine#checkFinishedHandshake} (the name check for a
 * caller's context) before a byte of data moves; a TLS 1.2 renegotiation fails the connection.
 * The first bytes of input are kept as evidence for a failure's reason ({@link PeerInput}).
 *
 * <p>The engine works on borrowed direct {@link TlsScratch} buffers; a stage keeps only leftovers
 * (a partial record in, records the socket would not take out) in heap buffers that exist while
 * they are non-empty, so an idle secure socket pins none. Who may run it, and the lock order:
 * {@link CallerTls}.
 */
final class TlsStage {

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  private static final int BATCH = 64 * 1024;

  private final TlsEngine spec;
  private final SSLEngine engine;
  /** Why this stage must not run (settings that refuse a server), or null. */
  private final String refusal;
  private final TlsScratch loopScratch;
  /** The scratch of whoever holds the stage (the loop's when nobody does). */
  private TlsScratch scratch;
  private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
  private final PeerInput input;
  private ByteBuffer caller; // see decryptInto
  private final HeldInput heldIn = new HeldInput();
  private volatile ByteBuffer heldOut;  // write mode: records not yet taken by the socket
  /** Bytes moved to the front of the read buffer that {@link #input} has seen already. */
  private int prepended;
  private volatile boolean started;
  private volatile boolean done;
  private volatile boolean closeNotifyReceived;
  private boolean closeNotifyAnswered;
  private boolean ticketsOwed; // a server's TLS 1.3 tickets wait in the engine for a wrap (TlsEngine#releaseTickets)
  /** Application bytes the engine has decrypted: how much came before a truncation. */
  private volatile long decrypted;
  private volatile boolean outboundClosed;
  /** The engine has been released: nobody may use it again. */
  private boolean freed;
  org.sockscript.internal.trace.WireTap tap = org.sockscript.internal.trace.WireTap.OFF; // the trace's, for application data

  TlsStage(TlsEngine spec, TlsScratch scratch) {
    this(spec, null, scratch, new PeerInput(spec.engine().getUseClientMode()));
  }

  private TlsStage(TlsEngine spec, String refusal, TlsScratch scratch, PeerInput input) {
    this.spec = spec;
    this.engine = spec == null ? null : spec.engine();
    this.refusal = refusal;
    this.loopScratch = scratch;
    this.scratch = scratch;
    this.input = input;
  }

  /**
   * Takes the stage: the loop ({@code own} null) waits for a script thread that holds it; a
   * script thread brings its own scratch and waits only if {@code wait}. False if not taken.
   */
  boolean enter(TlsScratch own, boolean wait) {
    if (wait) {
      lock.lock();
    } else if (!lock.tryLock()) {
      return false;
    }
    if (own != null && freed) {
      lock.unlock();
      return false;
    }
    scratch = own != null ? own : scratch;
    return true;
  }

  /** Whether a thread waits for the stage (the loop, say): a script thread then leaves it the work. */
  boolean loopWaiting() {
    return lock.hasQueuedThreads();
  }

  void exit() {
    if (lock.getHoldCount() == 1) {
      scratch = loopScratch; // (a nested hold on the loop keeps the loop's)
    }
    lock.unlock();
  }

  /** A TLS server stage that fails as it begins, with {@code reason}: the settings refuse it. */
  static TlsStage refusing(String reason, TlsScratch scratch) {
    return new TlsStage(null, reason, scratch, new PeerInput(false));
  }

  /** What the engine was made to check, and how: {@link Upgrade} builds the TLS details from it. */
  TlsEngine spec() {
    return spec;
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

  /** Held network input; any thread (a glance: exact only to whoever holds the stage). */
  int bufferedInput() {
    return heldIn.size();
  }

  /** Records not yet taken by the socket; exact only to whoever holds the stage. */
  boolean hasOutput() {
    ByteBuffer held = heldOut;
    return held != null && held.position() > 0;
  }

  /** Holds {@code bytes} as TLS input: the unread bytes of the socket when secure was called. */
  void hold(byte[] bytes) {
    input.upgradedInPlace();
    ByteBuffer held = ByteBuffer.wrap(bytes);
    input.received(held, 0);
    heldIn.add(held, scratch);
  }

  /** Before a socket read: a small held partial record goes to the front of the (direct) read buffer. */
  void prependHeldInput(ByteBuffer readBuffer) {
    if (started) {
      prepended = heldIn.moveTo(readBuffer, scratch);
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
    if (!started || !heldIn.isEmpty()) {
      heldIn.add(net, scratch);
      if (started) {
        heldIn.drain(held -> pump(held, app), scratch);
      }
      return;
    }
    try {
      pump(net, app);
    } finally {
      heldIn.add(net, scratch); // a partial record waits for the rest
    }
  }

  /** Encrypts up to a batch of {@code src} and hands it to the socket; true if the socket did not take it all (the rest is kept). */
  boolean wrapAndSend(ByteBuffer src, ConnectionChannel channel) throws IOException {
    ByteBuffer out = scratch.records;
    out.clear();
    int before = src.remaining();
    int at = src.position();
    while (src.hasRemaining() && out.position() < BATCH && wrap(src)) {
      // one record per wrap
    }
    tap.application(true, src, at, before - src.remaining());
    out.flip();
    if (src.remaining() == before) {
      heldOut = scratch.stash(heldOut, out); // an alert the engine wrapped instead goes out with the failure
      throw new SSLException("the TLS session is closed: " + before + " bytes could not be sent");
    }
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
   * TCP close. Best effort: the socket is failing anyway.
   */
  void sendAlert(ConnectionChannel channel) {
    if (engine == null) {
      return; // a refusing stage never spoke TLS
    }
    enter(null, true);
    try {
      engine.closeOutbound();
      wrapControl();
      if (hasOutput() && channel.isConnected()) {
        sendHeld(channel);
      }
    } catch (IOException | RuntimeException e) {
      // nothing more to say
    } finally {
      exit();
    }
  }

  /** Wraps what the engine wants to send on its own (handshake, alerts) into the kept output. */
  private boolean wrapControl() throws SSLException {
    ticketsOwed = false; // (they are in the engine's output, which this takes)
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

  /** Runs the handshake and decryption as far as {@code source} allows, until neither wrap nor unwrap progresses. */
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
      boolean progressed = (status == HandshakeStatus.NEED_WRAP || ticketsOwed) && wrapControl();
      if (engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
        finished();
      }
      if (!closeNotifyReceived && source.hasRemaining()) {
        progressed |= unwrap(source, app);
      }
      if (!progressed && !ticketsOwed) { // (tickets released as the handshake ended: one more turn wraps them)
        return;
      }
    }
  }

  /** A script thread's read takes what is decrypted now into its array first (null: stop); the buffer is empty meanwhile. */
  void decryptInto(ByteBuffer array) {
    caller = array;
  }

  private boolean unwrap(ByteBuffer source, InboundBuffer app) throws SSLException {
    boolean direct = caller != null && caller.remaining() >= engine.getSession().getApplicationBufferSize();
    ByteBuffer plain = direct ? caller : scratch.plain;
    int from = direct ? plain.position() : plain.clear().position();
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
    int n = plain.position() - from;
    decrypted += n;
    tap.application(false, plain, from, n);
    if (!direct) {
      app.append(plain.flip());
    }
    noteFinished(result);
    switch (result.getStatus()) {
      case BUFFER_UNDERFLOW:
        return false;
      case BUFFER_OVERFLOW:
        if (direct) {
          caller = null; // the caller's array is full: the rest goes to the buffer
          return true;
        }
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
      ticketsOwed = spec.releaseTickets(); // pump wraps them (here a wrap may be under way)
    }
  }

  /** Releases the engine once a script thread using it is done; nobody may use it afterwards. */
  void free() {
    if (engine == null) {
      return;
    }
    enter(null, true);
    try {
      freed = true;
      spec.release(scratch.records);
      heldIn.clear();
      heldOut = null;
    } finally {
      exit();
    }
  }

  @Override
  public String toString() {
    return (!started ? "upgrading" : done ? "secure" : "handshaking") + " tlsIn=" + bufferedInput() + " tlsOut=" + hasOutput();
  }
}
