package org.sockscript.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A writer waiting on a full write queue is not overtaken, release after release, by writers
 * that arrive later (they wait behind it); and queued writes that never reach the queue give
 * their pooled buffer back.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WriteBackpressureFairnessTest {

  private static final int LIMIT = 1 << 20;
  private static final int N = 64 * 1024;
  private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(2);

  @Test
  void aWaitingWriterIsNotOvertakenByWritersArrivingLater() throws Exception {
    WriteBudget budget = new WriteBudget();
    budget.reserve("s", LIMIT, LIMIT, TIMEOUT); // the queue is full
    AtomicReference<Object> first = new AtomicReference<>();
    Thread w1 = new Thread(() -> {
      try {
        budget.reserve("s", N, LIMIT, TIMEOUT);
        first.set("admitted");
      } catch (Exception e) {
        first.set(e);
      }
    });
    w1.start();
    Thread.sleep(100); // w1 waits
    java.util.List<Thread> newcomers = new java.util.ArrayList<>();
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
    while (first.get() == null && System.nanoTime() < end) {
      budget.release(N); // the loop sends one write: room for one more
      Thread newcomer = new Thread(() -> { // a writer arriving just then, on another thread
        try {
          budget.reserve("s", N, LIMIT, TIMEOUT);
        } catch (Exception e) {
          // closed at the end
        }
      });
      newcomer.setDaemon(true);
      newcomer.start();
      newcomer.join(20); // without fairness it takes the room at once
      newcomers.add(newcomer);
    }
    w1.join(5000);
    budget.close();
    for (Thread t : newcomers) {
      t.join(1000);
    }
    assertThat(first.get()).as("the first writer's outcome").isEqualTo("admitted");
  }

  @Test
  void writesThatNeverReachTheQueueGiveTheirPooledBufferBack() throws Exception {
    SocketCore core = new SocketCore();
    try {
      for (int i = 0; i < 2 * DirectBufferPool.MAX_BUFFERS; i++) {
        try {
          core.writeCopy("127.0.0.1:9", new byte[16 * 1024], null); // no such socket
        } catch (IllegalStateException expected) {
          // socket is not open
        }
      }
      assertThat(core.writeBuffers.copyOf(new byte[16 * 1024])).as("a pooled buffer is still to be had").isNotNull();
    } finally {
      core.close();
    }
  }
}
