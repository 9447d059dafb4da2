package org.sockscript;

/**
 * Told when every byte of a callback write has been handed to the operating system.
 *
 * <pre>{@code
 * sockets.write("localhost:2525", "QUIT\r\n", socket -> System.out.println("sent"));
 * }</pre>
 */
@FunctionalInterface
public interface WriteCallback {

  /**
   * The write is complete.
   *
   * <pre>{@code socket -> sockets.close(socket)}</pre>
   */
  void written(String socket);
}
