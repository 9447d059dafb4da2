package org.sockscript;

/**
 * Receives the chunk of a callback read. Runs on a callback thread, in order with the socket's
 * other events (see {@link SocketListener} for the threading contract).
 *
 * <pre>{@code
 * sockets.read("localhost:2525", Chunk.lines(1), (socket, line) -> System.out.print(line));
 * }</pre>
 *
 * <p>If the peer closes before the chunk is complete, the callback receives what did arrive
 * (possibly empty) and the listener's {@link SocketListener#socketClosed} follows.
 */
@FunctionalInterface
public interface ReadCallback {

  /**
   * The chunk, decoded in the socket's charset.
   *
   * <pre>{@code (socket, data) -> System.out.println(socket + " said " + data)}</pre>
   */
  void received(String socket, String data);
}
