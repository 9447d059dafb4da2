package org.sockscript.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import org.sockscript.TlsInfo;

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
  private volatile CompletableFuture<TlsInfo> secured;

  final ReadQueue reads = new ReadQueue();
  final ConnectionClock clock = new ConnectionClock(this);
  private SocketChannel channel;
  private SelectionKey key;
  private TlsStage tls;
  private Upgrade upgrade;
  private Opening opening;
  private boolean peerClosed;
  private boolean truncated;
  private boolean outputBlocked;
  /** Why the socket stopped taking reads and writes; null while it does. */
  private IOException ended;

  Connection(SocketCore core, String name, SocketName target, EventSink events, Opening opening) {
    this.core = core;
    this.name = name;
    this.target = target;
    this.events = events;
    this.opening = opening;
    this.charset = core.settings.charset;
  }

  @Override
  public String name() {
    return name;
  }

  // ---- opening ----------------------------------------------------------------------------

  void opening(Opening o) {
    opening = o;
  }

  Opening opening() {
    return opening;
  }

  boolean isAccepted() {
    return target == null;
  }

  /** Starts a non-blocking connect to {@code address}. */
  void connect(InetSocketAddress address) {
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      key = core.loop.register(channel, 0, this);
      clock.stateChanged();
      if (channel.connect(address)) {
        connected();
      } else {
        updateInterest();
      }
    } catch (IOException e) {
      fail(opening.cannotConnect(e));
    }
  }

  /** Adopts a channel accepted by a listener. */
  void adopt(SocketChannel accepted) throws IOException {
    channel = accepted;
    channel.configureBlocking(false);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    key = core.loop.register(channel, 0, this);
    connected();
  }

  private void connected() throws IOException {
    state = State.OPEN;
    local = (InetSocketAddress) channel.getLocalAddress();
    remote = (InetSocketAddress) channel.getRemoteAddress();
    clock.stateChanged();
    if (opening.tls != null) {
      startUpgrade(new Upgrade(opening.tls));
    } else {
      opened();
      flush(); // writes, or a secure, may have been queued while connecting
    }
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
      fail(state == State.CONNECTING ? opening.cannotConnect(e) : Failures.io(name, e));
    }
  }

  // ---- reading ----------------------------------------------------------------------------

  void enqueueRead(ReadRequest read) {
    if (ended != null) {
      if (ended == Tombstones.PEER_CLOSED) {
        read.completeAtEof(this, new byte[0]);
      } else {
        read.fail(Tombstones.again(ended));
      }
      return;
    }
    if (reads.isEmpty()) {
      clock.readHeadChanged();
    }
    reads.add(read);
    serveReads();
  }

  private void onReadable() throws IOException {
    ByteBuffer buffer = core.loop.readBuffer;
    buffer.clear();
    int n = channel.read(buffer);
    if (n < 0) {
      onEndOfStream();
    } else if (n > 0) {
      clock.received();
      buffer.flip();
      if (tls == null) {
        reads.inbound.append(buffer);
      } else if (!receiveTls(buffer)) {
        return;
      }
    }
    serveReads();
    flush();
  }

  private boolean receiveTls(ByteBuffer buffer) {
    try {
      tls.receive(buffer, reads.inbound);
      peerClosed |= tls.closeNotifyReceived();
      return handshakeProgressed();
    } catch (SSLException e) {
      upgrade.failed(this, e);
      return false;
    }
  }

  private void onEndOfStream() {
    peerClosed = true;
    if (tls != null && !tls.closeNotifyReceived()) {
      if (!tls.done()) {
        fail(Failures.handshake(name, "the peer closed the connection during the TLS handshake"));
        return;
      }
      truncated = true;
    }
  }

  /** Hands buffered data to queued reads; once the peer has closed and all is read, hangs up. */
  private void serveReads() {
    if (state == State.CLOSED) {
      return;
    }
    try {
      if (reads.serve(this, peerClosed, core.settings.inboundLimit) > 0) {
        clock.readHeadChanged();
      }
    } catch (IOException limitExceeded) {
      fail(limitExceeded);
      return;
    }
    if (peerClosed && reads.inbound.size() == 0 && state == State.OPEN) {
      if (truncated) {
        fail(Failures.truncated(name));
        return;
      }
      ended = Tombstones.PEER_CLOSED;
      core.bury(this);
      events.socketClosed(name);
      beginClosing();
    }
    updateInterest();
  }

  // ---- writing ----------------------------------------------------------------------------

  void enqueueWrite(WriteRequest write) {
    if (ended != null) {
      write.fail(ended == Tombstones.PEER_CLOSED ? Failures.closedByPeer(name) : Tombstones.again(ended));
      writes.budget.release(write.size);
      return;
    }
    if (writes.isEmpty()) {
      clock.writeHeadChanged();
    }
    writes.add(write, tls == null);
    flush();
  }

  /** Sends what can be sent now, strictly in order: plaintext writes, then TLS records. */
  void flush() {
    if (state == State.CONNECTING || state == State.CLOSED) {
      return;
    }
    try {
      outputBlocked = false;
      while (!outputBlocked) {
        if (tls != null && tls.hasOutput()) {
          outputBlocked = !tls.writeTo(channel);
          clock.sent();
        } else if (tls != null && !tls.started() && !writes.plaintextPending()) {
          tls.begin(reads.inbound); // the last plaintext write is out: the handshake may follow
          if (!handshakeProgressed()) {
            return;
          }
        } else if (!sendHeadWrite()) {
          break;
        }
      }
    } catch (SSLException e) {
      upgrade.failed(this, e);
      return;
    } catch (IOException e) {
      fail(Failures.io(name, e));
      return;
    }
    if (state == State.CLOSING && !outputBlocked && writes.isEmpty()) {
      closeNow();
      return;
    }
    updateInterest();
  }

  /** Makes progress on the head write; false when there is nothing to do for now. */
  private boolean sendHeadWrite() throws IOException {
    WriteRequest head = writes.head();
    if (head == null) {
      return false;
    }
    if (head.plaintext) {
      channel.write(head.data);
      clock.sent();
      if (head.data.hasRemaining()) {
        outputBlocked = true;
        return false;
      }
    } else if (!tls.done()) {
      return false; // rule 2: held until the handshake completes
    } else if (head.data.hasRemaining()) {
      tls.wrapApplication(head.data);
      return true;
    }
    writes.completeHead(this);
    clock.writeHeadChanged();
    return true;
  }

  // ---- TLS --------------------------------------------------------------------------------

  /** Why {@code secure} may not start now (rule 6 of {@link Upgrade}), or null if it may. */
  String upgradeRefusal() {
    if (state == State.CLOSED || state == State.CLOSING) {
      return "socket is not open: \"" + name + "\"";
    }
    if (tls != null && tls.done()) {
      return "socket is already secure: \"" + name + "\"";
    }
    if (tls != null) {
      return "socket is mid-upgrade: \"" + name + "\" (its TLS handshake has not finished)";
    }
    return null;
  }

  /** Rule 3 of {@link Upgrade}: from now on every inbound byte, held or future, is TLS input. */
  void startUpgrade(Upgrade up) {
    upgrade = up;
    secured = new CompletableFuture<>();
    tls = up.stage;
    tls.hold(reads.takeUnreadForUpgrade());
    clock.stateChanged();
    flush();
  }

  /** After a TLS step: reports a just-finished handshake. False if the socket died meanwhile. */
  private boolean handshakeProgressed() {
    if (state == State.CLOSED) {
      return false;
    }
    if (tls.done() && !upgrade.reported) {
      secured.complete(upgrade.succeeded(this));
      opened();
      serveReads();
    }
    return state != State.CLOSED;
  }

  /** One non-blocking attempt to send the TLS stage's pending records (an alert), errors ignored. */
  void sendWhatIsReady() {
    try {
      if (tls != null && tls.hasOutput() && channel != null && channel.isConnected()) {
        tls.writeTo(channel);
      }
    } catch (IOException e) {
      // the socket is failing anyway
    }
  }

  boolean handshaking() {
    return tls != null && !tls.done();
  }

  /** Completes with the TLS details once the handshake is done. */
  CompletableFuture<TlsInfo> securedFuture() {
    CompletableFuture<TlsInfo> f = secured;
    if (f == null) {
      throw new IllegalStateException("socket is not secure: \"" + name + "\" (call secure first)");
    }
    return f;
  }

  // ---- closing ----------------------------------------------------------------------------

  @Override
  public void closeByScript() {
    if (state == State.CLOSED || state == State.CLOSING) {
      return;
    }
    IOException closed = Failures.closedByScript(name);
    ended = closed;
    reads.failAll(closed);
    if (state == State.CONNECTING || handshaking()) {
      if (opening != null) {
        opening.failed(this, closed);
        opening = null;
      }
      writes.failAll(closed);
      closeNow();
      return;
    }
    beginClosing();
  }

  /** Flushes what is queued (with a close_notify if secure), then closes. */
  private void beginClosing() {
    state = State.CLOSING;
    clock.stateChanged();
    if (tls != null) {
      try {
        tls.closeOutbound();
      } catch (SSLException e) {
        closeNow();
        return;
      }
    }
    flush();
  }

  /** Reports {@code failure} once (listener or opener, and waiting calls), drops all, closes. */
  void fail(IOException failure) {
    if (state == State.CLOSED) {
      return;
    }
    ended = failure;
    core.bury(this);
    if (secured != null) {
      secured.completeExceptionally(failure);
    }
    if (opening != null) {
      opening.failed(this, failure);
      opening = null;
    } else {
      events.socketError(name, failure.getMessage());
    }
    reads.failAll(failure);
    writes.failAll(failure);
    closeNow();
  }

  void closeNow() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    if (ended == null) {
      ended = Failures.notOpen(name);
    }
    core.forget(this);
    clock.stop();
    reads.failAll(Failures.notOpen(name));
    writes.failAll(Failures.notOpen(name));
    writes.budget.close();
    if (tls != null) {
      tls.free();
    }
    if (key != null) {
      key.cancel();
    }
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** Why an ended connection stopped, for messages. */
  String endReason() {
    return ended == Tombstones.PEER_CLOSED ? "closed by the peer" : ended == null ? "open" : ended.getMessage();
  }

  @Override
  public String toString() {
    return name + " " + state + (tls == null ? " plain" : tls.started() ? (tls.done() ? " secure" : " handshaking")
        : " upgrading") + " inbound=" + reads.inbound.size() + " tlsIn=" + (tls == null ? 0 : tls.bufferedInput())
        + " tlsOut=" + (tls != null && tls.hasOutput()) + " reads=" + !reads.isEmpty() + " writes=" + !writes.isEmpty()
        + " plainPending=" + writes.plaintextPending() + " blocked=" + outputBlocked + " peerClosed=" + peerClosed
        + " ops=" + (key == null || !key.isValid() ? -1 : key.interestOps());
  }

  private void updateInterest() {
    if (state == State.CLOSED || key == null || !key.isValid()) {
      return;
    }
    int ops;
    if (state == State.CONNECTING) {
      ops = SelectionKey.OP_CONNECT;
    } else {
      int held = reads.inbound.size() + (tls == null ? 0 : tls.bufferedInput());
      ops = !peerClosed && held < core.settings.inboundLimit ? SelectionKey.OP_READ : 0;
      ops |= outputBlocked ? SelectionKey.OP_WRITE : 0;
    }
    if (key.interestOps() != ops) {
      key.interestOps(ops);
    }
    clock.arm();
  }
}
