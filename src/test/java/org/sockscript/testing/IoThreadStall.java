package org.sockscript.testing;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.sockscript.SocketListener;
import org.sockscript.SocketRegistry;

/**
 * Keeps a registry's I/O thread busy for a while (a listener that sleeps on it, in a registry
 * set to {@code ListenerThreads.IO_THREAD}), so that only a script's own thread can move bytes.
 */
public final class IoThreadStall {

  private IoThreadStall() {}

  /** Returns once the I/O thread has begun {@code millis} of sleep. */
  public static void stall(SocketRegistry sockets, long millis) throws Exception {
    try (ServerSocket side = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CountDownLatch stalled = new CountDownLatch(1);
      sockets.open("127.0.0.1:" + side.getLocalPort() + "|stall", new SocketListener() {
        @Override
        public void connected(String socket) {
          stalled.countDown();
          try {
            Thread.sleep(millis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
      side.accept().close();
      if (!stalled.await(5, TimeUnit.SECONDS)) {
        throw new AssertionError("the I/O thread never ran the stalling listener");
      }
    }
  }
}
