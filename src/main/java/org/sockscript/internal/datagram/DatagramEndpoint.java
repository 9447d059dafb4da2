package org.sockscript.internal.datagram;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.charset.Charset;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sockscript.DatagramListener;
import org.sockscript.internal.Endpoint;
import org.sockscript.internal.EventLoop;
import org.sockscript.internal.SocketName;

/**
 * A datagram (UDP) socket under a name: one opened to a peer ({@code openDatagram}: only that
 * peer's datagrams are delivered) or a listener ({@code acceptDatagram}, named by
 * its port, receiving from anyone and replying from its own port). Usable at once: sends happen
 * on the caller's thread (a {@link DatagramChannel} sends and receives concurrently); the loop
 * receives, and each datagram goes whole to the listener, through its executor.
 */
public final class DatagramEndpoint implements Endpoint, EventLoop.Handler {

  private static final Logger log = LoggerFactory.getLogger(DatagramEndpoint.class);
  /** The largest UDP payload: 65,535 less the IPv4 (20) and UDP (8) headers. */
  public static final int MAX_IPV4 = 65_507;
  /** The largest UDP payload over IPv6 without jumbograms: 65,535 less the UDP header. */
  public static final int MAX_IPV6 = 65_527;

  private final String name;
  private final DatagramChannel channel;
  /** The peer of a socket opened to one; null for a listener. */
  private final InetSocketAddress peer;
  private final DatagramListener listener;
  private final Executor events;
  private final Consumer<Endpoint> forget;
  private final boolean broadcasts;
  private final Charset charset;
  private final ByteBuffer in = ByteBuffer.allocate(MAX_IPV6 + 1); // one more: a bigger one shows
  private SelectionKey key;
  private volatile boolean closed;
  private volatile org.sockscript.internal.trace.DatagramTap tap;

  /**
   * @param peer the connected peer, or null for a listener
   * @param events runs listener calls (the listener's turn, or the loop)
   * @param forget releases the name in the registry's table
   */
  public DatagramEndpoint(String name, DatagramChannel channel, InetSocketAddress peer,
      DatagramListener listener, Executor events, Consumer<Endpoint> forget, boolean broadcasts, Charset charset) {
    this.name = name;
    this.channel = channel;
    this.peer = peer;
    this.listener = listener;
    this.events = events;
    this.forget = forget;
    this.broadcasts = broadcasts;
    this.charset = charset;
  }

  @Override
  public String name() {
    return name;
  }

  /** The charset the registry had when this socket was made: text writes are encoded in it. */
  public Charset charset() {
    return charset;
  }

  /** Whether this is a listener (made by acceptDatagram). */
  public boolean isListener() {
    return peer == null;
  }

  /** This end's address. */
  public InetSocketAddress local() {
    try {
      return (InetSocketAddress) channel.getLocalAddress();
    } catch (IOException e) {
      return null;
    }
  }

  /** The peer of a socket opened to one; null for a listener. */
  public InetSocketAddress remote() {
    return peer;
  }

  /** Traces this socket's datagrams through {@code datagrams} (set before it is used). */
  public void trace(org.sockscript.internal.trace.DatagramTap datagrams) {
    tap = datagrams;
  }

  /** Starts receiving. Loop thread. */
  public void start(EventLoop loop) {
    try {
      key = loop.register(channel, SelectionKey.OP_READ, this);
    } catch (IOException e) {
      fail(e);
    }
  }

  @Override
  public void ready(SelectionKey k) {
    for (int i = 0; i < 64 && !closed; i++) { // bounded: other sockets get their turn
      in.clear();
      InetSocketAddress from;
      try {
        from = (InetSocketAddress) channel.receive(in);
      } catch (IOException e) {
        fail(e);
        return;
      }
      if (from == null) {
        return;
      }
      if (peer != null && !peer.equals(from)) {
        log.debug("{}: dropped a datagram from {}, not its peer", name, from);
        continue;
      }
      in.flip();
      if (tap != null && tap.on()) {
        tap.datagram(false, local(), from, in, 0, in.limit());
      }
      byte[] data = new byte[in.remaining()];
      in.get(data);
      String sender = SocketName.format(from);
      events.execute(() -> listener.datagram(name, sender, data));
    }
  }

  /**
   * Sends {@code data} as one datagram, to the peer (null {@code to}) or to {@code to} (a
   * listener's reply, from its port). Waits, at most {@code waitNanos}, while the OS's send
   * buffer is full.
   *
   * @throws IllegalArgumentException if {@code data} is larger than one datagram may be
   * @throws IllegalStateException if this is a listener and {@code to} is null (it has no peer)
   */
  public void send(ByteBuffer data, InetSocketAddress to, long waitNanos) throws IOException {
    InetSocketAddress target = to != null ? to : peer;
    if (target == null) { // write(listener, data): a listener has no peer of its own
      throw new IllegalStateException("\"" + name + "\" is a datagram listener (made by acceptDatagram), with"
          + " no peer of its own: reply with writeDatagram(listener, peer, data)");
    }
    int limit = target.getAddress() instanceof Inet6Address ? MAX_IPV6 : MAX_IPV4;
    if (data.remaining() > limit) {
      throw new IllegalArgumentException("datagram too large: " + data.remaining() + " bytes, the limit is "
          + limit + " bytes for UDP over " + (limit == MAX_IPV6 ? "IPv6" : "IPv4")
          + " (a datagram is sent whole, never split)");
    }
    if (closed) {
      throw new IllegalStateException("socket is not open: \"" + name + "\"");
    }
    boolean empty = !data.hasRemaining(); // (a 0-byte datagram "sends 0 bytes" either way)
    int at = data.position();
    long deadline = System.nanoTime() + waitNanos;
    try {
      while (channel.send(data, target) == 0 && !empty) { // (write() would skip a 0-byte datagram)
        if (System.nanoTime() - deadline > 0) {
          throw new java.net.SocketTimeoutException("timeout: error sending datagram to "
              + SocketName.format(target) + ": the send buffer stayed full for " + waitNanos / 1_000_000 + " ms");
        }
        LockSupport.parkNanos(100_000);
      }
      if (tap != null && tap.on()) {
        tap.datagram(true, local(), target, data, at, data.position() - at);
      }
    } catch (java.nio.channels.ClosedChannelException e) {
      throw new IllegalStateException("socket is not open: \"" + name + "\"", e); // closed meanwhile
    } catch (IOException e) {
      throw DatagramFailures.sending(target, broadcasts, e);
    }
  }

  /** A receive failed: close, and tell the listener once. */
  private void fail(IOException e) {
    if (closed) {
      return;
    }
    String reason = DatagramFailures.receiving(name, e);
    closeByScript();
    events.execute(() -> listener.socketError(name, reason));
  }

  @Override
  public void closeByScript() {
    closed = true;
    forget.accept(this);
    if (key != null) {
      key.cancel();
    }
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("{}: closing", name, e);
    }
  }

  @Override
  public String notAConnection() {
    return "invalid command for datagram socket \"" + name + "\": its datagrams go to its"
        + " DatagramListener; there is no stream to read, secure or read TLS details of";
  }

  @Override
  public String toString() {
    return (peer == null ? "datagram listener " : "datagram ") + name;
  }
}
