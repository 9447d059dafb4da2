package org.sockscript;

/**
 * Receives the datagrams of a datagram socket made by {@link SocketRegistry#openDatagram} or
 * {@link SocketRegistry#acceptDatagram}: each one whole, with the sender's {@code "ip:port"}.
 * Calls follow {@link SocketListener}'s contract: one at a time per listener, in arrival order,
 * never on the I/O thread unless the registry runs listeners there, a throw is logged and ignored.
 *
 * <pre>{@code
 * String port = sockets.acceptDatagram(0, (socket, peer, data) ->
 *     sockets.writeDatagram(socket, peer, data));   // an echo: the reply leaves from the listener's port
 * }</pre>
 */
@FunctionalInterface
public interface DatagramListener {

  /**
   * One datagram arrived (possibly of 0 bytes).
   *
   * <pre>{@code public void datagram(String socket, String peer, byte[] data) { System.out.println(peer + " sent " + data.length); }}</pre>
   *
   * @param socket the datagram socket's name (a listener's: its port)
   * @param peer the sender, {@code "ip:port"} ({@code "[::1]:5353"} for IPv6)
   * @param data the datagram's bytes, the listener's to keep
   */
  void datagram(String socket, String peer, byte[] data);

  /**
   * The socket failed (for example the peer's port answered "unreachable") and has been closed.
   *
   * <pre>{@code public void socketError(String socket, String reason) { System.out.println(reason); }}</pre>
   */
  default void socketError(String socket, String reason) {}
}
