package org.sockscript.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import org.sockscript.TlsInfo;

/**
 * One socket: a small state machine driven by the {@link EventLoop}, with one inbound buffer,
 * one ordered read queue, one ordered write queue and a transport stage that is either
 * pass-through (plaintext) or a {@link TlsStage}.
 *
 * <p>States: CONNECTING, OPEN (plain, upgrading or secure, as {@link #tls} says), CLOSING
 * (flushing after the script closed it or the peer hung up), CLOSED. The upgrade rules are
 * spelled out in {@link Upgrade}; this class only carries them out. Loop thread only, except
 * the fields marked volatile and {@link #budget}.
 */
final class Connection implements Endpoint, EventLoop.Handler {

  enum State { CONNECTING, OPEN, CLOSING, CLOSED }

  final SocketCore core;
  final String name;
  /** The parsed name of an outbound socket; null for an accepted one. */
  final SocketName target;
  final EventSink events;
  final WriteBudget budget = new WriteBudget();
  volatile Charset charset;
  volatile InetSocketAddress local;
  volatile InetSocketAddress remote;
  volatile State state = State.CONNECTING;

  private final InboundBuffer inbound = new InboundBuffer();
  private final ArrayDeque<ReadRequest> reads = new ArrayDeque<>();
  private final ArrayDeque<WriteRequest> writes = new ArrayDeque<>();
  private final ConnectionClock clock = new ConnectionClock(this);
  private SocketChannel channel;
  private SelectionKey key;
  TlsStage tls;
  private Upgrade upgrade;
  private Opening opening;
  private boolean peerClosed;
  private boolean truncated;
  private boolean outputBlocked;

  private volatile CompletableFuture<TlsInfo> secured;

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

  /** Starts a non-blocking connect to {@code address}. */
  void connect(InetSocketAddress address) {
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
      key = core.loop.register(channel, 0, this);
      clock.started(State.CONNECTING);
      if (channel.connect(address)) {
        connected();
      } else {
        key.interestOps(SelectionKey.OP_CONNECT);
        clock.arm();
      }
    } catch (IOException e) {
      fail(opening.cannotConnect(e));
    }
  }

  /** Adopts a channel accepted by a listener. */
  void adopt(SocketChannel accepted) throws IOException {
    channel = accepted;
    channel.configureBlocking(false);
    channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
    key = core.loop.register(channel, 0, this);
    connected();
  }

  private void connected() throws IOException {
    state = State.OPEN;
    local = (InetSocketAddress) channel.getLocalAddress();
    remote = (InetSocketAddress) channel.getRemoteAddress();
    clock.started(State.OPEN);
    if (opening.tls != null) {
      startUpgrade(new Upgrade(opening.tls));
    } else {
      opened();
      flush(); // writes, or a secure, may have been queued while connecting
    }
    updateInterest();
  }

  void opening(Opening o) {
    opening = o;
  }

  boolean isAccepted() {
    return target == null;
  }

  /** Why {@code secure} may not start now (DESIGN §4 rule 6), or null if it may. */
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

  /** Completes with the TLS details once the handshake is done. */
  CompletableFuture<TlsInfo> securedFuture(String asked) {
    CompletableFuture<TlsInfo> f = secured;
    if (f == null) {
      throw new IllegalStateException("socket is not secure: \"" + asked + "\" (call secure first)");
    }
    return f;
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
      if (state == State.CONNECTING && k.isConnectable()) {
        if (channel.finishConnect()) {
          connected();
        }
        return;
      }
      if (k.isReadable()) {
        onReadable();
      }
      if (state != State.CLOSED && k.isValid() && k.isWritable()) {
        flush();
      }
    } catch (IOException e) {
      fail(state == State.CONNECTING ? opening.cannotConnect(e) : Failures.io(name, e));
    }
  }

  // ---- reading ----------------------------------------------------------------------------

  void enqueueRead(ReadRequest read) {
    if (reads.isEmpty()) {
      clock.readHeadChanged();
    }
    reads.add(read);
    serveReads();
    updateInterest();
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
        inbound.append(buffer);
      } else if (!receiveTls(buffer)) {
        return;
      }
    }
    serveReads();
    flush();
    updateInterest();
  }

  private boolean receiveTls(ByteBuffer buffer) {
    try {
      tls.receive(buffer, inbound);
      if (tls.closeNotifyReceived()) {
        peerClosed = true;
      }
      return checkHandshake();
    } catch (SSLException e) {
      upgrade.failed(this, e);
      return false;
    }
  }

  private void onEndOfStream() {
    peerClosed = true;
    if (tls != null && !tls.closeNotifyReceived()) {
      if (tls.handshaking() || !tls.started()) {
        fail(Failures.handshake(name, "the peer closed the connection during the TLS handshake"));
        return;
      }
      truncated = true;
    }
  }

  /** Hands buffered data to queued reads, in order; then handles a finished stream. */
  private void serveReads() {
    int limit = core.settings.inboundLimit;
    while (!reads.isEmpty() && state != State.CLOSED) {
      ReadRequest read = reads.peek();
      int n = read.matcher.match(inbound);
      if (n < 0 || (n == 0 && peerClosed)) {
        if (!peerClosed) {
          if (inbound.size() >= limit) {
            fail(Failures.inboundLimit(name, read.chunk(), limit, inbound.size()));
            return;
          }
          break;
        }
        reads.poll();
        read.completeAtEof(this, inbound.takeAll());
      } else {
        reads.poll();
        read.complete(this, inbound.take(n));
      }
      clock.readHeadChanged();
    }
    if (peerClosed && inbound.size() == 0 && state == State.OPEN) {
      peerHungUp();
    }
  }

  /** The peer closed and the script has read everything: report it, then close our side. */
  private void peerHungUp() {
    if (truncated) {
      fail(Failures.truncated(name));
      return;
    }
    core.forget(this);
    events.socketClosed(name);
    beginClosing();
  }

  // ---- writing ----------------------------------------------------------------------------

  void enqueueWrite(WriteRequest write) {
    if (state == State.CLOSED || state == State.CLOSING) {
      write.fail(Failures.notOpen(name));
      budget.release(write.size);
      return;
    }
    write.plaintext = tls == null;
    if (writes.isEmpty()) {
      clock.writeHeadChanged();
    }
    writes.add(write);
    flush();
    updateInterest();
  }

  /** Sends what can be sent now, strictly in order. */
  void flush() {
    if (state == State.CONNECTING || state == State.CLOSED) {
      return;
    }
    try {
      outputBlocked = false;
      while (true) {
        if (tls != null && tls.hasOutput()) {
          if (!tls.writeTo(channel)) {
            outputBlocked = true;
            break;
          }
          clock.sent();
          continue;
        }
        WriteRequest head = writes.peek();
        if (tls != null && !tls.started() && (head == null || !head.plaintext)) {
          tls.begin(inbound); // every plaintext write is out: the handshake may follow
          if (!checkHandshake()) {
            return;
          }
          continue;
        }
        if (head == null) {
          break;
        }
        if (head.plaintext) {
          channel.write(head.data);
          if (head.data.hasRemaining()) {
            outputBlocked = true;
            break;
          }
          clock.sent();
        } else if (!tls.done()) {
          break; // held until the handshake completes
        } else if (head.data.hasRemaining()) {
          tls.wrapApplication(head.data);
          continue;
        }
        writes.poll();
        budget.release(head.size);
        head.complete(this);
        clock.writeHeadChanged();
      }
      if (state == State.CLOSING && !outputBlocked && writes.isEmpty()) {
        closeNow();
        return;
      }
    } catch (SSLException e) {
      upgrade.failed(this, e);
      return;
    } catch (IOException e) {
      fail(Failures.io(name, e));
      return;
    }
    updateInterest();
  }

  // ---- TLS --------------------------------------------------------------------------------

  /** Rule 3 of {@link Upgrade}: from now on every inbound byte, held or future, is TLS input. */
  void startUpgrade(Upgrade up) {
    upgrade = up;
    secured = new CompletableFuture<>();
    tls = up.stage;
    tls.hold(inbound.takeAll());
    for (ReadRequest read : reads) {
      read.matcher.restart();
    }
    clock.started(State.OPEN);
    flush();
  }

  /** After any TLS step: reports a just-finished handshake. Returns false if the socket died. */
  private boolean checkHandshake() {
    if (state == State.CLOSED) {
      return false;
    }
    if (tls.done() && upgrade != null && !upgrade.reported) {
      TlsInfo info = upgrade.succeeded(this);
      secured.complete(info);
      opened();
      serveReads();
    }
    return state != State.CLOSED;
  }

  boolean handshaking() {
    return tls != null && !tls.done();
  }

  // ---- closing ----------------------------------------------------------------------------

  @Override
  public void closeByScript() {
    if (state == State.CLOSED || state == State.CLOSING) {
      return;
    }
    IOException closed = Failures.closedByScript(name);
    for (ReadRequest read : reads) {
      read.fail(closed);
    }
    reads.clear();
    inbound.clear();
    if (state == State.CONNECTING || handshaking()) {
      if (opening != null) {
        opening.failed(this, closed);
        opening = null;
      }
      failWrites(closed);
      closeNow();
      return;
    }
    beginClosing();
  }

  private void beginClosing() {
    state = State.CLOSING;
    clock.started(State.CLOSING);
    try {
      if (tls != null) {
        tls.closeOutbound();
      }
    } catch (SSLException e) {
      closeNow();
      return;
    }
    flush();
  }

  /** Reports {@code failure} once (listener and waiting calls), drops everything, closes. */
  void fail(IOException failure) {
    if (state == State.CLOSED) {
      return;
    }
    core.forget(this);
    if (secured != null) {
      secured.completeExceptionally(failure);
    }
    if (opening != null) {
      opening.failed(this, failure);
      opening = null;
    } else {
      events.socketError(name, failure.getMessage());
    }
    for (ReadRequest read : reads) {
      read.fail(failure);
    }
    reads.clear();
    failWrites(failure);
    closeNow();
  }

  private void failWrites(IOException failure) {
    for (WriteRequest write : writes) {
      write.fail(failure);
      budget.release(write.size);
    }
    writes.clear();
  }

  void closeNow() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    core.forget(this);
    clock.stop();
    inbound.clear();
    budget.close();
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

  // ---- bookkeeping for ConnectionClock ----------------------------------------------------

  boolean headReadWaiting() {
    return !reads.isEmpty();
  }

  ReadRequest headRead() {
    return reads.peek();
  }

  /** A blocking read timed out: it leaves the queue, and its data stays for later reads. */
  void dropHeadRead(SocketTimeoutException timeout) {
    reads.poll().fail(timeout);
    clock.readHeadChanged();
  }

  WriteRequest headWrite() {
    return writes.peek();
  }

  int buffered() {
    return inbound.size();
  }

  void updateInterest() {
    if (state == State.CLOSED || key == null || !key.isValid()) {
      return;
    }
    int ops = 0;
    if (state == State.CONNECTING) {
      ops = SelectionKey.OP_CONNECT;
    } else {
      int held = inbound.size() + (tls == null ? 0 : tls.bufferedInput());
      if (!peerClosed && held < core.settings.inboundLimit) {
        ops |= SelectionKey.OP_READ;
      }
      if (outputBlocked) {
        ops |= SelectionKey.OP_WRITE;
      }
    }
    if (key.interestOps() != ops) {
      key.interestOps(ops);
    }
    clock.arm();
  }

  /** A queued-but-unsent opening, or null. For the clock. */
  Opening opening() {
    return opening;
  }
}
