package org.sockscript.datagram;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.sockscript.DatagramListener;

/** A {@link DatagramListener} that keeps what arrives, for tests to take in order. Thread-safe. */
final class ReceivedDatagrams implements DatagramListener {

  /** One datagram as the listener got it. */
  record Received(String socket, String peer, byte[] data) {}

  final LinkedBlockingQueue<Received> queue = new LinkedBlockingQueue<>();
  final LinkedBlockingQueue<String> errors = new LinkedBlockingQueue<>();

  @Override
  public void datagram(String socket, String peer, byte[] data) {
    queue.add(new Received(socket, peer, data));
  }

  @Override
  public void socketError(String socket, String reason) {
    errors.add(socket + ": " + reason);
  }

  /** The next datagram, or an AssertionError after {@code wait}. */
  Received next(Duration wait) throws InterruptedException {
    Received r = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      throw new AssertionError("no datagram arrived within " + wait.toMillis() + " ms");
    }
    return r;
  }
}
