package org.sockscript.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a registry's I/O loop still inside a timer, for white-box tests that need an order the
 * loop would otherwise race: the loop reads nothing and runs no task until the latch is counted
 * down (or 10 s pass).
 *
 * <pre>{@code
 * CountDownLatch release = LoopHold.hold(core);
 * ... // the peer sends; this thread reads the socket itself
 * release.countDown();
 * }</pre>
 */
final class LoopHold {

  private LoopHold() {}

  /** Holds {@code core}'s loop; returns once it is held. */
  static CountDownLatch hold(SocketCore core) throws InterruptedException {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    core.loop.execute(() -> core.loop.schedule(0, () -> {
      held.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    assertThat(held.await(5, TimeUnit.SECONDS)).as("the loop is held").isTrue();
    return release;
  }
}
