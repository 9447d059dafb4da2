package org.sockscript.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The TCP end of a {@link Connection}: its non-blocking channel and selection key. Knows nothing
 * of chunks or TLS; only opens, moves bytes, sets interest and closes. Loop thread, except that a
 * script thread may read or write a plain socket under the locks that order those with the loop's
 * ({@link ReadQueue#socketReader}, {@link WriteQueue}).
 */
final class ConnectionChannel {

  private SocketChannel channel;
  private SelectionKey key;
  private long bytesWritten;
  /** The wire trace's hook: every chunk read or written passes it (two volatile reads when off). */
  final org.sockscript.internal.trace.WireTap tap = new org.sockscript.internal.trace.WireTap();

  /** The local address to bind to before connecting (open socket from ...); null: the OS picks. */
  private InetSocketAddress bindTo;

  void bindTo(InetSocketAddress local) {
    bindTo = local;
  }

  /** The local address it was asked to bind to, or null for the OS's choice. */
  InetSocketAddress boundTo() {
    return bindTo;
  }

  /** Starts connecting; true if the connect completed at once. */
  boolean connect(EventLoop loop, InetSocketAddress address, EventLoop.Handler handler) throws IOException {
    register(loop, SocketChannel.open(), handler);
    LocalAddresses.bind(channel, bindTo);
    return channel.connect(address);
  }

  /** Takes over a channel that a listener accepted. */
  void adopt(EventLoop loop, SocketChannel accepted, EventLoop.Handler handler) throws IOException {
    register(loop, accepted, handler);
  }

  private void register(EventLoop loop, SocketChannel ch, EventLoop.Handler handler) throws IOException {
    channel = ch;
    tap.channel(ch);
    channel.configureBlocking(false);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // scripts write whole commands
    key = loop.register(channel, 0, handler);
  }

  boolean finishConnect() throws IOException {
    return channel.finishConnect();
  }

  InetSocketAddress local() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  InetSocketAddress remote() throws IOException {
    return (InetSocketAddress) channel.getRemoteAddress();
  }

  int read(ByteBuffer into) throws IOException {
    return tap.sink() == null ? channel.read(into) : tap.read(channel, into); // (traced: in wire order)
  }

  int write(ByteBuffer from) throws IOException {
    int n = tap.sink() == null ? channel.write(from) : tap.write(channel, from);
    bytesWritten += n;
    return n;
  }

  long write(ByteBuffer[] from) throws IOException {
    long n = tap.sink() == null ? channel.write(from) : tap.write(channel, from);
    bytesWritten += n;
    return n;
  }

  /** Bytes handed to the OS so far: what the socket timeout counts as write progress. */
  long bytesWritten() {
    return bytesWritten;
  }

  /** The channel itself, for the TLS stage's writes; null before connecting. */
  SocketChannel raw() {
    return channel;
  }

  boolean isConnected() {
    return channel != null && channel.isConnected();
  }

  /** Sets the selector interest, if the key is still valid. */
  void interest(int ops) {
    if (key != null && key.isValid() && key.interestOps() != ops) {
      key.interestOps(ops);
    }
  }

  int interest() {
    return key == null || !key.isValid() ? -1 : key.interestOps();
  }

  /**
   * Closes the socket, first discarding what the peer sent that nobody will read: closing a TCP
   * socket with unread input makes the kernel reset the connection, which drops the data still
   * in its send queue (the last writes, a close_notify) before the peer has it.
   */
  void close() {
    if (key != null) {
      key.cancel();
    }
    try {
      if (channel != null) {
        if (channel.isConnected()) {
          java.nio.ByteBuffer unread = java.nio.ByteBuffer.allocate(8192);
          for (int i = 0; i < 64 && channel.read(unread.clear()) > 0; i++) {
            // discarded
          }
        }
        channel.close();
      }
    } catch (IOException e) {
      try {
        channel.close();
      } catch (IOException again) {
        // closing anyway
      }
    }
  }
}
