package org.sockscript;

/**
 * Receives the events of the sockets it opened or accepted. Every method is a no-op by default,
 * so a listener overrides only what it cares about.
 *
 * <h2>Contract</h2>
 * <ol>
 *   <li>Calls to one listener take turns: they start in order (per socket, in the order its
 *       events happened), and code of one listener never runs at the same time as other code of
 *       that listener, even when it serves many sockets: a listener never needs its own locking.</li>
 *   <li>A blocking verb called inside a call (for example {@link SocketRegistry#read(String,
 *       Chunk)}, or a callback {@code write} that must wait for room in a full write queue)
 *       hands the listener's turn on while it waits, as LiveCode's blocking
 *       {@code read} keeps messages flowing: the listener's next calls run meanwhile, and the
 *       turn comes back before the verb returns. So a handler blocked on one connection never
 *       stalls the others; only state that must stay unchanged across a blocking verb needs
 *       care, as in any LiveCode script.</li>
 *   <li>Calls never run on the registry's I/O thread, unless the registry is set to
 *       {@link ListenerThreads#IO_THREAD}; there every call and callback runs on that thread, one
 *       at a time, and blocking verbs are refused.</li>
 *   <li>An exception thrown by a listener is logged and ignored: it harms neither the socket nor
 *       the other sockets.</li>
 *   <li>Each failure is reported once: a socket that fails gets one {@link #socketError} and
 *       then no further events.</li>
 * </ol>
 *
 * <pre>{@code
 * sockets.open("localhost:2525", new SocketListener() {
 *   public void connected(String socket) { System.out.println("connected to " + socket); }
 *   public void socketError(String socket, String reason) { System.out.println(reason); }
 * });
 * }</pre>
 */
public interface SocketListener {

  /**
   * The socket is connected (for {@link SocketRegistry#openSecure}, after the TLS handshake).
   *
   * <pre>{@code public void connected(String socket) { sockets.write(socket, "HELO me\r\n"); }}</pre>
   */
  default void connected(String socket) {}

  /**
   * A connection arrived on a listener made by {@link SocketRegistry#accept(int, SocketListener)}.
   *
   * <pre>{@code public void newConnection(String socket, String listener) { sockets.write(socket, "220 hi\r\n"); }}</pre>
   *
   * @param socket the new socket's name, {@code "<peer ip>:<peer port>"}
   * @param listenerName the accepting listener's name, its port (for example {@code "2525"})
   */
  default void newConnection(String socket, String listenerName) {}

  /**
   * The socket failed and has been closed; {@code reason} says what was expected and what was seen.
   *
   * <pre>{@code public void socketError(String socket, String reason) { log.warn("{}: {}", socket, reason); }}</pre>
   */
  default void socketError(String socket, String reason) {}

  /**
   * The peer ended its data (a FIN, or a TLS close_notify). Sent once, after the script has read
   * the data that was still buffered. The end of the peer's data is not the end of the
   * conversation: the socket stays open for writing (half-close) until the script closes it, the
   * peer resets, or it idles for the socket timeout interval. A TLS peer that closed without
   * close_notify gets {@link #socketError} ({@code truncated: ...}) instead.
   *
   * <pre>{@code public void socketClosed(String socket) { sockets.write(socket, "bye\r\n", s -> sockets.close(s)); }}</pre>
   */
  default void socketClosed(String socket) {}

  /**
   * A connect, or a callback read or write, made no progress for the registry's
   * {@linkplain SocketRegistry#setSocketTimeoutInterval socket timeout interval}. A pending
   * callback read keeps waiting; a connect that timed out is abandoned.
   *
   * <pre>{@code public void socketTimeout(String socket) { sockets.close(socket); }}</pre>
   */
  default void socketTimeout(String socket) {}

  /**
   * The TLS handshake of {@link SocketRegistry#secure} or {@link SocketRegistry#openSecure} or of
   * a secure listener's connection succeeded.
   *
   * <pre>{@code public void secured(String socket, TlsInfo info) { System.out.println(info.protocol()); }}</pre>
   */
  default void secured(String socket, TlsInfo info) {}
}
