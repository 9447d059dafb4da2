package org.sockscript.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.sockscript.RecordingListener;

/**
 * A plain loopback peer that a {@link SocketCore} has opened a socket to, connected: the socket's
 * {@link #name} in the core and the peer's end, {@link #peer}. Closing it closes the peer's end
 * and the listening socket; the core's socket is the test's.
 *
 * <pre>{@code
 * try (OpenedPeer opened = OpenedPeer.open(core, events)) {
 *   opened.peer.getOutputStream().write(...);   // arrives on core's socket opened.name
 * }
 * }</pre>
 */
final class OpenedPeer implements AutoCloseable {

  final String name;
  final Socket peer;
  private final ServerSocket server;

  private OpenedPeer(ServerSocket server, String name, Socket peer) {
    this.server = server;
    this.name = name;
    this.peer = peer;
  }

  /** Opens {@code core}'s socket to a fresh listener, accepts it and waits for {@code connected}. */
  static OpenedPeer open(SocketCore core, RecordingListener events) throws Exception {
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    try {
      String name = "127.0.0.1:" + server.getLocalPort();
      core.open(name, events, false, true, null, null);
      Socket peer = server.accept();
      events.awaitEvent("connected " + name, Duration.ofSeconds(10));
      return new OpenedPeer(server, name, peer);
    } catch (Exception | AssertionError e) {
      server.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      peer.close();
    } finally {
      server.close();
    }
  }
}
