package org.sockscript;

import java.io.IOException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import org.sockscript.internal.Args;
import org.sockscript.internal.LocalAddresses;
import org.sockscript.internal.Lookups;
import org.sockscript.internal.Waits;

/**
 * The registry's datagram sockets, local binding and lookups; a separate class only to keep
 * {@link SocketRegistry} short. Every public member here is documented and used as a member of
 * {@link SocketRegistry}. Public (and sealed) only for JShell's Tab, as {@link RegistrySettings}
 * says. Example: {@code sockets.openDatagram("127.0.0.1:5000", listener);}
 */
public abstract sealed class RegistryNetworkVerbs extends RegistryTlsSettings permits SocketRegistry {

  RegistryNetworkVerbs() {}

  // ---- datagrams --------------------------------------------------------------------------

  /**
   * Opens a datagram (UDP) socket to {@code socket}'s host and port, usable at once: each
   * {@code write(socket, data)} sends one datagram; each datagram from that peer goes whole to
   * {@code listener}. Example: {@code sockets.openDatagram("127.0.0.1:5353", (s, peer, data) -> System.out.println(data.length));}
   *
   * @throws UnknownHostException {@code can't resolve hostname: ...}
   * @throws java.net.BindException {@code can't bind to local host and port ...} (a {@linkplain #setDefaultNetworkInterface default interface} the machine does not have)
   *     (a broadcast address while broadcasts are off is refused by the first write: {@code error sending datagram to ...})
   */
  public void openDatagram(String socket, DatagramListener listener) throws IOException {
    core.datagrams.open(Args.notNull(socket, "socket"), null, Args.notNull(listener, "listener"));
  }

  /** A send-only datagram socket: datagrams that arrive are dropped, its errors go to the {@linkplain #setDefaultListener default listener}. Example: {@code sockets.openDatagram("127.0.0.1:514");} */
  public void openDatagram(String socket) throws IOException {
    core.datagrams.open(Args.notNull(socket, "socket"), null, null);
  }

  /** As {@link #openDatagram(String, DatagramListener)}, from a local {@code [host][:port]}. Example: {@code sockets.openDatagramFrom("127.0.0.1:5000", "127.0.0.1:5353", l);} */
  public void openDatagramFrom(String from, String socket, DatagramListener listener) throws IOException {
    var local = LocalAddresses.parse(from, core.settings.defaultInterface());
    core.datagrams.open(Args.notNull(socket, "socket"), local, Args.notNull(listener, "listener"));
  }

  /**
   * Listens for datagrams on {@code port} (0 = a free one), on every address unless a
   * {@linkplain #setDefaultNetworkInterface default interface} is set; returns the listener's
   * name, its real port. Reply with {@link #writeDatagram}. Example: {@code String port = sockets.acceptDatagram(0, l);}
   */
  public String acceptDatagram(int port, DatagramListener listener) throws IOException {
    return core.datagrams.accept(null, port, Args.notNull(listener, "listener"));
  }

  /**
   * As {@link #acceptDatagram(int, DatagramListener)}, on one local address only. Example: {@code sockets.acceptDatagram("127.0.0.1", 0, l);}
   *
   * @throws IllegalArgumentException if {@code address} is not an IP address (no lookup is made for it)
   */
  public String acceptDatagram(String address, int port, DatagramListener listener) throws IOException {
    return core.datagrams.accept(LocalAddresses.listeningAddress(Args.notNull(address, "address")), port,
        Args.notNull(listener, "listener"));
  }

  /**
   * Sends one datagram from the datagram listener {@code listener} (so from its port) to
   * {@code peer}, {@code "ip:port"} as a {@link DatagramListener} was given it.
   * Example: {@code sockets.writeDatagram(socket, peer, data);}
   *
   * @throws IllegalArgumentException if {@code data} is over the size of one datagram (65,507 bytes over IPv4, 65,527 over IPv6)
   */
  public void writeDatagram(String listener, String peer, byte[] data) throws IOException {
    core.datagrams.writeTo(Args.notNull(listener, "listener"), Args.notNull(peer, "peer"), Args.notNull(data, "data"));
  }

  /** As {@link #writeDatagram(String, String, byte[])}, text in the listener's charset. Example: {@code sockets.writeDatagram(socket, peer, "pong");} */
  public void writeDatagram(String listener, String peer, String data) throws IOException {
    core.datagrams.writeTo(Args.notNull(listener, "listener"), Args.notNull(peer, "peer"), Args.notNull(data, "data"));
  }

  // ---- local binding ----------------------------------------------------------------------

  /**
   * As {@code open(socket)}, from a local {@code [host][:port]} ({@code "127.0.0.1"},
   * {@code ":40000"}, {@code "[::1]:0"}): LiveCode's {@code open socket from}.
   * Example: {@code sockets.openFrom("127.0.0.1", "localhost:2525");}
   *
   * @throws java.net.ConnectException {@code can't connect to host: ...: can't bind to local host and port ...}
   */
  public void openFrom(String from, String socket) throws IOException {
    var local = LocalAddresses.parse(from, core.settings.defaultInterface());
    CompletableFuture<Void> done = new CompletableFuture<>();
    var opening = core.open(socket, local, null, false, true, null, null, null, done);
    Waits.await(done, () -> core.abandon(opening));
  }

  /** As {@code open(socket, listener)}, from a local {@code [host][:port]}. Example: {@code sockets.openFrom(":40000", "h:25", l);} */
  public void openFrom(String from, String socket, SocketListener listener) throws IOException {
    var local = LocalAddresses.parse(from, core.settings.defaultInterface());
    core.open(socket, local, Args.notNull(listener, "listener"), false, true, null, null, null, null);
  }

  /**
   * As {@code accept(port, listener, secure)}, listening on one local address only: a test server
   * on loopback. Example: {@code sockets.accept("127.0.0.1", 0, listener, false);}
   *
   * @throws IllegalArgumentException if {@code address} is not an IP address (no lookup is made for it)
   * @throws java.net.BindException {@code can't listen on ...} naming the address
   */
  public String accept(String address, int port, SocketListener listener, boolean secure) throws IOException {
    return core.accept(LocalAddresses.listeningAddress(Args.notNull(address, "address")), port,
        Args.notNull(listener, "listener"), secure, null);
  }

  // ---- lookups ----------------------------------------------------------------------------

  /**
   * The host name of an IP address (reverse DNS, confirmed forward). Example: {@code sockets.hostAddressToName("127.0.0.1")} gives {@code "localhost"}.
   *
   * @throws IllegalArgumentException if {@code ip} is not an IP address
   * @throws UnknownHostException {@code invalid host address: ...} if it has no name
   */
  public String hostAddressToName(String ip) throws UnknownHostException {
    return Lookups.addressToName(Args.notNull(ip, "ip"));
  }

  /**
   * Looks {@code hostName} up without waiting; {@code callback} gets the addresses (empty if
   * none), as a listener call. Example: {@code sockets.hostNameToAddress("localhost", (h, a) -> System.out.println(a));}
   */
  public void hostNameToAddress(String hostName, AddressCallback callback) {
    Args.notNull(hostName, "hostName");
    Args.notNull(callback, "callback");
    Lookups.nameToAddressLater(hostName, core.listenerExecutor(callback), callback::resolved);
  }

  /**
   * This machine's name, as the OS has it ({@code gethostname}, not a reverse lookup); the JDK also
   * looks the name up, which may wait on DNS if it is not in {@code /etc/hosts}. Example: {@code sockets.hostName()}
   */
  public String hostName() {
    return Lookups.hostName();
  }

  // ---- wire trace -------------------------------------------------------------------------

  /**
   * Traces every connection of this registry to {@code trace} from now on (null: off): each chunk
   * that crosses the wire, and the decrypted application data of secure sockets. Example: {@code sockets.trace(WireTrace.toStream(System.out));}
   */
  public void trace(WireTrace trace) {
    core.trace.set(trace == null ? null : trace.sink);
  }

  /** Traces one connection to {@code trace} (null: back to the registry's trace, if any). Example: {@code sockets.trace("localhost:2525", WireTrace.toPcapng(Path.of("t.pcapng")));} */
  public void trace(String socket, WireTrace trace) {
    core.tap(Args.notNull(socket, "socket")).own(trace == null ? null : trace.sink);
  }
}
