package org.sockscript.internal;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.NetworkChannel;

/**
 * Local binding, LiveCode's {@code open socket from [lhost][:lport]} and
 * {@code defaultNetworkInterface}: parsing a local address, and binding a channel to it with an
 * error that names the address that could not be bound.
 */
public final class LocalAddresses {

  private LocalAddresses() {}

  /**
   * Parses {@code [host][:port]}: {@code "127.0.0.1"}, {@code ":40000"}, {@code "[::1]:0"}. The
   * host is an IP address or a name (looked up now); no host is {@code defaultInterface} (null:
   * any); no port is 0 (any free one).
   */
  public static InetSocketAddress parse(String from, InetAddress defaultInterface) throws UnknownHostException {
    Args.notNull(from, "from");
    String host = from;
    String portText = "";
    int close = from.lastIndexOf(']');
    int colon = from.lastIndexOf(':');
    if (from.startsWith("[") ? close > 0 && colon > close : colon >= 0 && colon == from.indexOf(':')) {
      host = from.substring(0, colon);
      portText = from.substring(colon + 1);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = portText.isEmpty() ? 0 : Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535 || host.indexOf(' ') >= 0 || (from.startsWith("[") && close < 0)) {
      throw new IllegalArgumentException("error parsing the local host and port: \"" + from
          + "\" (expected [host][:port], such as 127.0.0.1, :40000 or [::1]:0; the port 0 to 65535)");
    }
    if (host.isEmpty()) {
      return any(defaultInterface, port);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      UnknownHostException named = new UnknownHostException("can't resolve local host and port: \"" + from + "\"");
      named.initCause(e);
      throw named;
    }
  }

  /** An IP address (no lookup) for {@code defaultNetworkInterface}; null stays null (any). */
  public static InetAddress interfaceAddress(String ip) {
    return ip == null ? null : ipAddress(ip, "defaultNetworkInterface", " (or null for any)");
  }

  /** The IP address (no lookup) a listener is to listen on, for {@code accept(address, ...)} and {@code acceptDatagram(address, ...)}. */
  public static InetAddress listeningAddress(String ip) {
    return ipAddress(ip, "the address to listen on", "");
  }

  private static InetAddress ipAddress(String ip, String what, String orNull) {
    String bare = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
    if (!HostLookup.isIpLiteral(bare)) {
      throw new IllegalArgumentException(what + " must be an IP address such as 127.0.0.1 or ::1" + orNull
          + ", was \"" + ip + "\"");
    }
    try {
      return InetAddress.getByName(bare);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(what + " must be an IP address, was \"" + ip + "\"", e);
    }
  }

  /** {@code address} (null: the wildcard) and {@code port}. */
  static InetSocketAddress any(InetAddress address, int port) {
    return address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port);
  }

  /** Binds an outgoing socket's channel; null binds nothing (the OS picks). */
  static void bind(NetworkChannel channel, InetSocketAddress local) throws IOException {
    if (local == null) {
      return;
    }
    try {
      channel.bind(local);
    } catch (IOException | UnsupportedOperationException e) {
      BindException named = new BindException("can't bind to local host and port "
          + SocketName.format(local) + ": " + e.getMessage());
      named.initCause(e);
      throw named;
    }
  }

  /** Binds a listener's channel, naming the address when it fails. */
  static void listen(NetworkChannel channel, InetSocketAddress at, String what) throws IOException {
    try {
      if (channel instanceof java.nio.channels.ServerSocketChannel) {
        ((java.nio.channels.ServerSocketChannel) channel).bind(at, 1024);
      } else {
        channel.bind(at);
      }
    } catch (IOException | UnsupportedOperationException e) {
      String where = at.getAddress().isAnyLocalAddress() ? "port " + at.getPort() : SocketName.format(at);
      BindException named = new BindException("can't listen on " + where
          + (what.isEmpty() ? "" : " for " + what) + ": " + e.getMessage());
      named.initCause(e);
      throw named;
    }
  }
}
