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

  final ReadQueue reads = new ReadQueue();
  final ConnectionClock clock = new ConnectionClock(this);
  final ConnectionChannel channel = new ConnectionChannel();
  TlsStage tls;
  volatile Upgrade upgrade;
  /** Who waits for the socket to become usable; null once told. */
  Opening opening;
  private boolean peerClosed;
  private boolean truncated;
  private boolean outputBlocked;
  /** Why the socket stopped taking reads and writes; null while it does. */
  IOException ended;

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


  /** Starts a non-blocking connect to {@code address}. */
  void connect(InetSocketAddress address) {
    try {
      clock.stateChanged();
      if (channel.connect(core.loop, address, this)) {
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
    channel.adopt(core.loop, accepted, this);
    connected();
  }

  private void connected() throws IOException {
    state = State.OPEN;
    local = channel.local();
    remote = channel.remote();
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


  void enqueueRead(ReadRequest read) {
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

  /** Reads what the socket has (a few buffers' worth at most, to stay fair to the others). */
  private void onReadable() throws IOException {
    ByteBuffer buffer = core.loop.readBuffer;
    for (int i = 0; i < 4 && reads.inbound.size() < core.settings.inboundLimit; i++) {
      buffer.clear();
      if (tls != null) {
        tls.prependHeldInput(buffer); // a partial TLS record goes first, in the direct buffer
      }
      int n = channel.read(buffer);
      buffer.flip();
      if (n > 0) {
        clock.received();
      }
      if (buffer.hasRemaining()) {
        if (tls == null) {
          reads.inbound.append(buffer);
        } else if (!receiveTls(buffer)) {
          return;
        }
      }
      if (n < 0) {
        onEndOfStream();
        break;
      }
      if (buffer.limit() < buffer.capacity()) {
        break; // the socket had no more for now
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


  void enqueueWrite(WriteRequest write) {
    if (ended != null) {
      Tombstones.answer(this, write, ended);
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
          outputBlocked = !tls.sendHeld(channel);
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
      outputBlocked = tls.wrapAndSend(head.data, channel);
      clock.sent();
      return true;
    }
    writes.completeHead(this);
    clock.writeHeadChanged();
    return true;
  }


  /** Rule 3 of {@link Upgrade}: from now on every inbound byte, held or future, is TLS input. */
  void startUpgrade(Upgrade up) {
    upgrade = up;
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
      upgrade.succeeded(this);
      opened();
      serveReads();
    }
    return state != State.CLOSED;
  }

  boolean handshaking() {
    return tls != null && !tls.done();
  }


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
    if (upgrade != null) {
      upgrade.secured.completeExceptionally(failure);
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
    channel.close();
  }

  /** For debugging: {@code name OPEN secure unread=0 tls=[...] blocked=false ops=1}. */
  @Override
  public String toString() {
    return name + " " + state + " " + (tls == null ? "plain" : tls) + " unread=" + reads.inbound.size()
        + " blocked=" + outputBlocked + " peerClosed=" + peerClosed + " ops=" + channel.interest();
  }

  private void updateInterest() {
    if (state == State.CLOSED) {
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
    channel.interest(ops);
    clock.arm();
  }
}
