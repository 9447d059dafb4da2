package org.sockscript.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import javax.net.ssl.SSLException;

/**
 * One socket: a small state machine driven by the {@link EventLoop}, with one {@link ReadQueue},
 * one {@link WriteQueue} and a transport stage that is either pass-through (plaintext, {@code tls
 * == null}) or a {@link TlsStage}.
 *
 * <p>States: CONNECTING → OPEN (plain, upgrading or secure, as {@link #tls} says) → CLOSING
 * (flushing after the script closed it or the peer hung up) → CLOSED. The upgrade rules are
 * listed in {@link Upgrade}; this class carries them out. Loop thread only, except the volatile
 * fields and the write budget.
 */
final class Connection implements Endpoint, EventLoop.Handler {

  enum State { CONNECTING, OPEN, CLOSING, CLOSED }

  final SocketCore core;
  final String name;
  /** The parsed name of an outbound socket; null for an accepted one. */
  final SocketName target;
  final EventSink events;
  final WriteQueue writes = new WriteQueue();
  volatile Charset charset;
  volatile InetSocketAddress local;
  volatile InetSocketAddress remote;
  volatile State state = State.CONNECTING;

  final ReadQueue reads;
  final ConnectionClock clock = new ConnectionClock(this);
  final ConnectionChannel channel = new ConnectionChannel();
  final OutboundPump output = new OutboundPump(this);
  TlsStage tls;
  volatile Upgrade upgrade;
  /** A script thread's TLS step met a close_notify, or left records to send: the loop must look. */
  volatile boolean loopOwed;
  /** A script thread's TLS step failed with this (set holding the stage; see {@link CallerTls}). */
  volatile IOException callerFailure;
  /** Set by a script thread calling secure, until the loop has set the upgrade up (rule 3). */
  volatile boolean upgradeRequested;
  /** A secure listener's count of handshakes in progress, told once when this one ends; or null. */
  Runnable handshakeEnded;
  /** Who waits for the socket to become usable; null once told. */
  Opening opening;
  /** The peer ended its data: FIN, or a TLS close_notify. Writes may go on (half-close). */
  volatile boolean peerClosed;
  /** socketClosed has been given: the script read everything the peer sent. */
  boolean peerEndReported;
  /** The listener has had its socketClosed: the half-closed socket's idle time runs. */
  boolean idling;
  /** Non-null once a TLS peer ended without close_notify (see {@link ConnectionEnd#byPeer}). */
  IOException truncation;
  /** A read failed with {@link #truncation}: the script has seen it, so its socketError is due. */
  volatile boolean truncationMet;
  /** Why the socket stopped taking reads and writes; null while it does. Read by script threads. */
  volatile IOException ended;
  /**
   * Set by the script thread calling close, before the loop hears of it: from then on nothing
   * the loop meets (a peer hang-up, a truncation) is news to the script, so no event reports it.
   */
  volatile boolean closeRequested;

  Connection(SocketCore core, String name, SocketName target, EventSink events, Opening opening) {
    this.core = core;
    this.name = name;
    this.target = target;
    this.events = events;
    this.opening = opening;
    this.charset = core.settings.charset;
    this.reads = new ReadQueue(core.segments);
    channel.tap.identify(name, target == null, core.trace);
  }

  @Override
  public String name() {
    return name;
  }

  /** Starts a non-blocking connect to {@code address}. */
  void connect(InetSocketAddress address) {
    if (state != State.CONNECTING) {
      return; // closed by the script while its name was being resolved
    }
    try {
      clock.stateChanged();
      core.live.add(this);
      if (channel.connect(core.loop, address, this)) {
        connected();
      } else {
        updateInterest();
      }
    } catch (IOException e) {
      fail(opening.cannotConnect(e, channel.boundTo()));
    }
  }

  /** Adopts a channel accepted by a listener. */
  void adopt(SocketChannel accepted) throws IOException {
    core.live.add(this);
    channel.adopt(core.loop, accepted, this);
    connected();
  }

  private void connected() throws IOException {
    state = State.OPEN;
    local = channel.local();
    remote = channel.remote();
    clock.stateChanged();
    if (upgrade == null) {
      opened(); // a secure open is opened when its handshake is done
    }
    flush(); // writes, or a secure, may have been queued while connecting
  }

  /** For openSecure and secure listeners: TLS from the first byte, so no write can go plain. */
  void secureFromTheStart(TlsStage stage) {
    upgrade = new Upgrade(stage);
    tls = stage;
    stage.tap = channel.tap.tlsStarted();
  }

  /** The socket is usable: tell whoever waits for the open. */
  private void opened() {
    if (opening != null) {
      opening.succeeded(this);
      opening = null;
    }
  }

  @Override
  public void ready(SelectionKey k) {
    try {
      if (state == State.CONNECTING) {
        if (k.isConnectable() && channel.finishConnect()) {
          connected();
        }
        return;
      }
      if (k.isReadable()) {
        onReadable();
      }
      if (k.isValid() && k.isWritable()) {
        flush();
      }
    } catch (IOException e) {
      fail(state == State.CONNECTING ? opening.cannotConnect(e, channel.boundTo()) : ioFailure(e));
    }
  }

  void enqueueRead(ReadRequest read) {
    if (read.directFailure != null && state != State.CLOSED) {
      failFromTls(read.directFailure); // its caller's own socket read failed: as if the loop's had
    }
    if (ended != null) {
      Tombstones.answer(this, read, ended);
      return;
    }
    if (reads.isEmpty()) {
      clock.readHeadChanged();
    }
    reads.add(read);
    serveReads();
  }

  /** A script thread queued {@code read} itself (see {@link ReadQueue}): its timeout runs from then. */
  void readQueuedByScript(ReadRequest read) {
    if (state == State.CLOSED || reads.head() != read) {
      return; // already served, failed or timed out (an ending fails every queued read)
    }
    clock.armForHeadRead();
    updateInterest();
  }

  /** Reads what the socket has (a few buffers' worth at most, to stay fair to the others). */
  private void onReadable() throws IOException {
    ByteBuffer buffer = core.loop.readBuffer;
    for (int i = 0; i < 4 && reads.inbound.size() < reads.readAheadLimit(core.settings.inboundLimit); i++) {
      buffer.clear();
      int n = tls == null ? readPlain(buffer) : readTls(buffer);
      if (n == Integer.MIN_VALUE) {
        return; // the TLS step failed, or ended the socket
      }
      if (n > 0) {
        clock.received();
      }
      if (n < 0) {
        ConnectionEnd.endOfStream(this);
        break;
      }
      if (buffer.limit() < buffer.capacity()) {
        break; // the socket had no more for now
      }
    }
    serveReads();
    flush();
  }

  private int readPlain(ByteBuffer buffer) throws IOException {
    reads.socketReader.lock(); // a script thread may read the socket too (see ReadQueue)
    try {
      int n = channel.read(buffer);
      buffer.flip();
      reads.inbound.append(buffer);
      return n;
    } finally {
      reads.socketReader.unlock();
    }
  }

  /** Reads and decrypts holding the stage (a script thread may be reading too, see {@link CallerTls}). */
  private int readTls(ByteBuffer buffer) throws IOException {
    int n = Integer.MIN_VALUE;
    IOException failed;
    tls.enter(null, true);
    try {
      failed = callerFailure; // a script thread's step failed just now: that comes first
      if (failed == null) {
        tls.prependHeldInput(buffer); // a partial TLS record goes first, in the direct buffer
        n = channel.read(buffer);
        buffer.flip();
        if (buffer.hasRemaining()) {
          tls.receive(buffer, reads.inbound);
        }
      }
    } catch (SSLException e) {
      failed = e;
    } finally {
      tls.exit();
    }
    if (failed != null) {
      failFromTls(failed); // (outside the stage: failing takes the write queue's lock)
      return Integer.MIN_VALUE;
    }
    return tlsStepped() ? n : Integer.MIN_VALUE;
  }

  /** A TLS step failed, on the loop or a script thread: a TLS failure as such, else an I/O one. */
  void failFromTls(IOException e) {
    if (e instanceof SSLException && upgrade != null) {
      upgrade.failed(this, (SSLException) e);
    } else {
      fail(ioFailure(e));
    }
  }

  /** After a TLS step on any thread: notes the peer's close_notify and a finished handshake. */
  private boolean tlsStepped() {
    peerClosed |= tls.closeNotifyReceived();
    return handshakeProgressed();
  }

  /** Hands buffered data to queued reads; once the peer has closed and all is read, hangs up. */
  private void serveReads() {
    if (state == State.CLOSED || (tls == null && upgradeRequested)) {
      return; // rule 3: what arrived as secure() was called belongs to the TLS stage
    }
    try {
      if (reads.serve(this, peerClosed, truncation, core.settings.inboundLimit) > 0) {
        clock.readHeadChanged();
      }
    } catch (IOException limitExceeded) {
      fail(limitExceeded);
      return;
    }
    if (peerClosed && reads.inbound.size() == 0 && state == State.OPEN) {
      ConnectionEnd.byPeer(this);
      if (state == State.CLOSED) {
        return;
      }
    }
    updateInterest();
  }

  void enqueueWrite(WriteRequest write) {
    if (ended != null && !(write.partlySent && state == State.CLOSING)) { // (the rest of one begun before close goes)
      Tombstones.answer(this, write, ended);
      if (state == State.CLOSING) {
        flush(); // the close waited for it
      }
      return;
    }
    if (writes.isEmpty()) {
      clock.writeHeadChanged();
    }
    writes.add(write);
    flush();
  }

  /** Sends what can be sent now, strictly in order (see {@link OutboundPump}). */
  void flush() {
    output.flush();
  }

  /**
   * Serves reads that wait: after a refused secure, a fast-path take that paused reading, or a
   * script thread's TLS step (which may have met a close_notify or left records to send).
   */
  void serveReadsNow() {
    if (tls != null && state != State.CLOSED) {
      if (!tlsStepped()) {
        return;
      }
      flush();
    }
    serveReads();
  }

  /** After a TLS step: reports a just-finished handshake. False if the socket died meanwhile. */
  boolean handshakeProgressed() {
    if (state == State.CLOSED) {
      return false;
    }
    if (peerClosed && tls.started() && !tls.done()) { // what is held can no longer finish it
      fail(Failures.closedDuringHandshake(name));
      return false;
    }
    if (tls.done() && !upgrade.reported) {
      endHandshake();
      upgrade.succeeded(this);
      opened();
      serveReads();
    }
    return state != State.CLOSED;
  }

  /** Tells the secure listener, once, that this connection's handshake is over. */
  void endHandshake() {
    Runnable told = handshakeEnded;
    handshakeEnded = null;
    if (told != null) {
      told.run();
    }
  }

  /** An I/O error, worded as a failed upgrade while a handshake runs (the upgrade is what failed). */
  IOException ioFailure(IOException e) {
    return handshaking()
        ? Failures.handshake(name, "the connection failed during the TLS handshake: " + e.getMessage(), e)
        : Failures.io(name, e);
  }

  boolean handshaking() {
    return tls != null && !tls.done();
  }

  @Override
  public void closeByScript() {
    ConnectionEnd.byScript(this);
  }

  /** Flushes what is queued, then a close_notify if secure (see {@link #flush}), then closes. */
  void beginClosing() {
    state = State.CLOSING;
    clock.stateChanged();
    flush();
  }

  /** See {@link ConnectionEnd#fail}. */
  void fail(IOException failure) {
    ConnectionEnd.fail(this, failure);
  }

  /** See {@link ConnectionEnd#now}. */
  void closeNow() {
    ConnectionEnd.now(this);
  }

  /** For debugging: {@code name OPEN secure unread=0 tls=[...] blocked=false ops=1}. */
  @Override
  public String toString() {
    return name + " " + state + " " + (tls == null ? "plain" : tls) + " unread=" + reads.inbound.size()
        + " blocked=" + output.blocked + " peerClosed=" + peerClosed + " ops=" + channel.interest();
  }

  void updateInterest() {
    if (state == State.CLOSED) {
      return;
    }
    int ops;
    if (state == State.CONNECTING) {
      ops = SelectionKey.OP_CONNECT;
    } else {
      int limit = core.settings.inboundLimit;
      boolean room = reads.inbound.size() < reads.readAheadLimit(core.settings.inboundLimit)
          && (tls == null || tls.bufferedInput() < Math.max(limit, 64 * 1024)); // a record always fits
      ops = !peerClosed && room ? SelectionKey.OP_READ : 0;
      ops |= output.blocked ? SelectionKey.OP_WRITE : 0;
    }
    channel.interest(ops);
    clock.arm();
  }
}
