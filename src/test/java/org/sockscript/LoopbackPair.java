package org.sockscript;

import java.io.IOException;
import java.time.Duration;

/**
 * Two registries over loopback: {@link #server} listens (its events recorded in
 * {@link #serverEvents}), {@link #client} opens sockets to it. Closing the pair closes both.
 *
 * <pre>{@code
 * try (LoopbackPair pair = LoopbackPair.listening()) {
 *   String name = pair.connect("");           // client "127.0.0.1:<port>", blocking open
 *   String peer = pair.accepted(name);         // the server-side name of the same connection
 * }
 * }</pre>
 */
final class LoopbackPair implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(10);

  final SocketRegistry server = new SocketRegistry();
  final SocketRegistry client = new SocketRegistry();
  final RecordingListener serverEvents = new RecordingListener();
  final String listener;

  private LoopbackPair() throws IOException {
    listener = server.accept(0, serverEvents);
  }

  /** A server registry listening on a free port, and an idle client registry. */
  static LoopbackPair listening() throws IOException {
    return new LoopbackPair();
  }

  /** The client-side name {@code "127.0.0.1:<port>" + suffix} (suffix such as {@code "|2"}). */
  String name(String suffix) {
    return "127.0.0.1:" + listener + suffix;
  }

  /** Opens {@code name(suffix)} in script style and returns the client-side name. */
  String connect(String suffix) throws IOException {
    String name = name(suffix);
    client.open(name);
    return name;
  }

  /** Waits for the server to accept the client socket {@code name}; returns the server-side name. */
  String accepted(String name) throws InterruptedException {
    String peer = client.hostAddress(name);
    serverEvents.awaitEvent("newConnection " + peer + " ", WAIT);
    return peer;
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
