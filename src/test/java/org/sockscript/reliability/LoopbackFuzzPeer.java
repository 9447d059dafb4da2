package org.sockscript.reliability;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sockscript.RecordingListener;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.Loopback;

/**
 * What the network fuzz tests share: one client registry and one loopback listening socket for
 * the whole run, so each input costs a connection, not a registry. {@link #connect} opens a new
 * registry socket and hands back the peer's end; {@link #allowLoopbackOnly} tells Jazzer's network
 * sanitizer that loopback connections are expected (and nothing else is).
 */
final class LoopbackFuzzPeer implements AutoCloseable {

  final SocketRegistry registry = new SocketRegistry();
  private final ServerSocket listener = new ServerSocket();
  private final AtomicInteger names = new AtomicInteger();

  LoopbackFuzzPeer() throws IOException {
    listener.bind(new InetSocketAddress(InetAddress.getByName(Loopback.HOST), 0), 64);
    listener.setSoTimeout(5000);
  }

  /**
   * Tells Jazzer's network sanitizer (active while fuzzing) that loopback connections are
   * expected, and nothing else is. Jazzer resets this when fuzzing starts, so each input calls it:
   * {@code try (SilentCloseable loopback = LoopbackFuzzPeer.allowLoopbackOnly()) { ... }}.
   */
  static SilentCloseable allowLoopbackOnly() {
    return BugDetectors.allowNetworkConnections((host, port) -> isLoopback(host));
  }

  /** Jazzer names the host by reverse lookup ({@code localhost}, or this machine's name for 127.0.0.1). */
  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  /** The registry socket and the peer's end of one new connection. */
  record Connection(String name, Socket peer) implements AutoCloseable {
    void send(byte[] bytes, int from, int to) throws IOException {
      OutputStream out = peer.getOutputStream();
      out.write(bytes, from, to - from);
      out.flush();
    }

    @Override
    public void close() throws IOException {
      peer.close();
    }
  }

  /**
   * Opens a fresh name with {@code listener} and accepts its peer end; waits (at most 5 s) for
   * {@code connected}, so a dead loop fails the input instead of hanging the run.
   */
  Connection connect(RecordingListener listener) throws Exception {
    String name = Loopback.HOST + ":" + this.listener.getLocalPort() + "|fuzz-" + names.incrementAndGet();
    registry.open(name, listener);
    listener.awaitEvent("connected " + name, Duration.ofSeconds(5));
    Socket peer = this.listener.accept();
    peer.setTcpNoDelay(true);
    peer.setSoTimeout(5000);
    return new Connection(name, peer);
  }

  /** Pauses a little between segments, so the registry's reads see them apart. */
  static void pause() {
    try {
      TimeUnit.MICROSECONDS.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    registry.close();
    listener.close();
  }
}
