package org.sockscript.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.slf4j.LoggerFactory;
import org.sockscript.DatagramListener;
import org.sockscript.SocketListener;
import org.sockscript.internal.datagram.DatagramEndpoint;

/**
 * A registry's datagram verbs: opening a datagram socket to a peer, listening for datagrams on a
 * port, and sending. The sockets themselves are {@link DatagramEndpoint}s, held in the registry's
 * {@link SocketTable} beside the connections, so they are in {@code openSockets()} and close by
 * name.
 */
public final class Datagrams {

  /** Receive buffer asked of the OS (capped by net.core.rmem_max): room for a burst. */
  private static final int RECEIVE_BUFFER = 4 * 1024 * 1024;

  private final SocketCore core;

  Datagrams(SocketCore core) {
    this.core = core;
  }

  /** Opens a datagram socket to {@code name}'s host and port, from {@code from} (null: the default). */
  public String open(String name, InetSocketAddress from, DatagramListener listener) throws IOException {
    SocketName parsed = SocketName.parse(name);
    if (!HostLookup.isIpLiteral(parsed.host())) {
      EventLoop.refuseWaitOnLoop("openDatagram(\"" + name + "\")"); // a name lookup may take seconds
    }
    InetSocketAddress to = new InetSocketAddress(HostLookup.resolve(parsed.host()), parsed.port());
    boolean broadcasts = core.settings.allowDatagramBroadcasts;
    DatagramChannel channel = channel(to.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
        : StandardProtocolFamily.INET, broadcasts);
    try {
      // Bound, not connected: the JDK sends no 0-byte datagram on a connected channel, so the
      // socket keeps to its peer itself (DatagramEndpoint drops datagrams from anyone else).
      InetAddress local = from != null ? from.getAddress() : core.settings.defaultInterface;
      InetAddress source = local != null ? local : sourceFor(to);
      LocalAddresses.bind(channel, LocalAddresses.any(source, from != null ? from.getPort() : 0));
      return start(new DatagramEndpoint(name, channel, to, orDefault(listener), core.listenerExecutor(listener),
          core.table::forget, broadcasts, core.settings.charset));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Listens for datagrams on {@code address} (null: the default interface, else every one); returns the name, its port. */
  public String accept(InetAddress address, int port, DatagramListener listener) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("not a valid port: " + port + " (expected 0 to 65535)");
    }
    InetSocketAddress at = LocalAddresses.any(address != null ? address : core.settings.defaultInterface, port);
    boolean broadcasts = core.settings.allowDatagramBroadcasts;
    ProtocolFamily family = at.getAddress() instanceof java.net.Inet4Address && !at.getAddress().isAnyLocalAddress()
        ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6; // the wildcard: both families
    DatagramChannel channel = channel(family, broadcasts);
    try {
      LocalAddresses.listen(channel, at, "datagrams");
      String name = String.valueOf(((InetSocketAddress) channel.getLocalAddress()).getPort());
      return start(new DatagramEndpoint(name, channel, null, orDefault(listener), core.listenerExecutor(listener),
          core.table::forget, broadcasts, core.settings.charset));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** A listener's reply to {@code peer} ({@code "ip:port"}), sent from the listener's port. */
  public void writeTo(String listenerName, String peer, byte[] data) throws IOException {
    DatagramEndpoint listener = listener(listenerName);
    SocketName to = SocketName.parse(peer);
    InetSocketAddress address = new InetSocketAddress(HostLookup.resolve(to.host()), to.port());
    listener.send(ByteBuffer.wrap(data), address, waitNanos());
  }

  /** As above, {@code text} in the listener's charset. */
  public void writeTo(String listenerName, String peer, String text) throws IOException {
    writeTo(listenerName, peer, text.getBytes(listener(listenerName).charset()));
  }

  private DatagramEndpoint listener(String name) {
    Endpoint e = core.table.find(name);
    if (!(e instanceof DatagramEndpoint) || !((DatagramEndpoint) e).isListener()) {
      throw new IllegalStateException("not a datagram listener: \"" + name + "\" (writeDatagram replies"
          + " from a listener made by acceptDatagram; a socket from openDatagram is written with write(socket, data))");
    }
    return (DatagramEndpoint) e;
  }

  /** {@code write(name, data)} on a datagram socket: one datagram, then the write is answered. */
  void write(DatagramEndpoint d, WriteRequest request) throws IOException {
    try {
      d.send(request.data.duplicate(), null, waitNanos());
    } catch (IOException | RuntimeException e) {
      request.fail(e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e));
      throw e;
    }
    request.sentAsDatagram(core.listenerExecutor(null), d.name());
  }

  /** A socket's local or remote address: a connection's (an ended one's too), or a datagram socket's. */
  static InetSocketAddress address(SocketTable table, String name, boolean local) {
    Endpoint e = table.endpointForIo(name);
    if (e instanceof DatagramEndpoint) {
      return local ? ((DatagramEndpoint) e).local() : ((DatagramEndpoint) e).remote();
    }
    Connection c = SocketTable.asConnection(e);
    return local ? c.local : c.remote;
  }

  private long waitNanos() {
    return EventLoop.onLoopThread() ? 0 : core.settings.timeoutNanos; // never wait on the loop
  }

  /** The address the OS would send to {@code to} from (a UDP connect sends nothing), for hostAddress. */
  private static InetAddress sourceFor(InetSocketAddress to) {
    try (DatagramChannel probe = DatagramChannel.open(to.getAddress() instanceof Inet6Address
        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET)) {
      probe.connect(to);
      return ((InetSocketAddress) probe.getLocalAddress()).getAddress();
    } catch (IOException e) {
      return null; // a broadcast address, say: the wildcard
    }
  }

  private String start(DatagramEndpoint d) {
    d.trace(new org.sockscript.internal.trace.DatagramTap(d.name(), core.trace));
    core.table.claim(d);
    core.loop.executeOrRun(() -> d.start(core.loop));
    return d.name();
  }

  private static DatagramChannel channel(ProtocolFamily family, boolean broadcasts) throws IOException {
    DatagramChannel channel = DatagramChannel.open(family);
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.SO_BROADCAST, broadcasts);
      channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
      return channel;
    } catch (IOException e) {
      channel.close();
      throw e;
    }
  }

  /** A send-only socket (no listener): its datagrams are dropped, its errors go to the default listener. */
  private DatagramListener orDefault(DatagramListener listener) {
    if (listener != null) {
      return listener;
    }
    return new DatagramListener() {
      @Override
      public void datagram(String socket, String peer, byte[] data) {
        LoggerFactory.getLogger(Datagrams.class).debug("{}: {} bytes from {} dropped (no DatagramListener)",
            socket, data.length, peer);
      }

      @Override
      public void socketError(String socket, String reason) {
        SocketListener fallback = core.settings.defaultListener;
        if (fallback != null) {
          fallback.socketError(socket, reason);
        } else {
          LoggerFactory.getLogger(Datagrams.class).info("{}: socketError: {}", socket, reason);
        }
      }
    };
  }
}
