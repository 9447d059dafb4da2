package org.sockscript;

import java.nio.charset.Charset;
import java.time.Duration;
import org.sockscript.internal.Args;
import org.sockscript.internal.SocketCore;

/**
 * The registry's general settings; a separate class only to keep {@link SocketRegistry} short.
 * Every public member here is documented and used as a member of {@link SocketRegistry}, its only
 * subclass (sealed). Public so that JShell's Tab after {@code sockets.} lists these verbs too
 * (JDK 17's JShell leaves out what a public class inherits from one that is not).
 * Example: {@code sockets.setSocketTimeoutInterval(Duration.ofSeconds(2));}
 */
public abstract sealed class RegistrySettings permits RegistryTlsSettings {

  final SocketCore core = new SocketCore();

  RegistrySettings() {}

  /** No progress for this long is a timeout (default 10 s). Example: {@code sockets.setSocketTimeoutInterval(Duration.ofSeconds(2));} */
  public void setSocketTimeoutInterval(Duration interval) {
    core.timeout(interval);
  }

  /** The socket timeout interval. Example: {@code sockets.socketTimeoutInterval().toMillis()} */
  public Duration socketTimeoutInterval() {
    return core.settings.timeout();
  }

  /** Unread bytes a socket may buffer (default 16 MiB); a read needing more fails. Example: {@code sockets.setInboundLimit(1 << 20);} */
  public void setInboundLimit(int bytes) {
    core.settings.inboundLimit(bytes);
  }

  /** Unread bytes a socket may buffer: the most one read can return. Example: {@code sockets.inboundLimit()} gives {@code 16777216}. */
  public int inboundLimit() {
    return core.settings.inboundLimit();
  }

  /** Bytes a socket may queue for writing before writers wait (default 1 MiB). Example: {@code sockets.setWriteQueueLimit(1 << 20);} */
  public void setWriteQueueLimit(int bytes) {
    core.settings.writeQueueLimit(bytes);
  }

  /**
   * Where listener calls and callbacks run, for sockets opened or accepted from now on: pool
   * threads with a turn per listener (the default), or the I/O thread itself, for handlers that
   * never block. Example: {@code sockets.setListenerThreads(ListenerThreads.IO_THREAD);}
   */
  public void setListenerThreads(ListenerThreads where) {
    core.settings.listenerThreads(Args.notNull(where, "listenerThreads"));
  }

  /** The charset of sockets opened from now on (default UTF-8). Example: {@code sockets.setCharset(StandardCharsets.ISO_8859_1);} */
  public void setCharset(Charset charset) {
    Args.notNull(charset, "charset");
    core.settings.charset(charset);
  }

  /** One socket's charset. Example: {@code sockets.setCharset(s, StandardCharsets.US_ASCII);} */
  public void setCharset(String socket, Charset charset) {
    Args.notNull(charset, "charset");
    core.charset(Args.notNull(socket, "socket"), charset);
  }

  /**
   * Whether datagram sockets may send to broadcast addresses (default false, as LiveCode's
   * {@code allowDatagramBroadcasts}); applies to datagram sockets made from now on.
   * Example: {@code sockets.setAllowDatagramBroadcasts(true);}
   */
  public void setAllowDatagramBroadcasts(boolean allowed) {
    core.settings.allowDatagramBroadcasts(allowed);
  }

  /** Whether broadcasts are allowed. Example: {@code sockets.allowDatagramBroadcasts()} */
  public boolean allowDatagramBroadcasts() {
    return core.settings.allowDatagramBroadcasts();
  }

  /**
   * The local address (an IP, no lookup) that sockets and listeners made from now on bind to,
   * LiveCode's {@code defaultNetworkInterface}; null = any. Example: {@code sockets.setDefaultNetworkInterface("127.0.0.1");}
   *
   * @throws IllegalArgumentException if {@code ip} is not an IP address
   */
  public void setDefaultNetworkInterface(String ip) {
    core.settings.defaultInterface(org.sockscript.internal.LocalAddresses.interfaceAddress(ip));
  }

  /** The default network interface's address, or null for any. Example: {@code sockets.defaultNetworkInterface()} */
  public String defaultNetworkInterface() {
    var address = core.settings.defaultInterface();
    return address == null ? null : address.getHostAddress();
  }

  /**
   * Gets the events of sockets opened from now on without a listener (blocking {@code open} and
   * {@code openSecure}): {@code socketError} (a failed {@code secure} too), {@code socketClosed},
   * {@code socketTimeout}, {@code secured} — LiveCode sends these to the object that opened the
   * socket. Null (the default): they are only logged. Example: {@code sockets.setDefaultListener(new SocketListener() {});}
   */
  public void setDefaultListener(SocketListener listener) {
    core.settings.defaultListener(listener);
  }

  /** The default listener, or null. Example: {@code sockets.defaultListener()} */
  public SocketListener defaultListener() {
    return core.settings.defaultListener();
  }
}
