package org.sockscript.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs a blocking call on a thread of its own and interrupts that thread once it is parked in the
 * call (or ends it another way, as JShell's stop does): for tests of what an abandoned blocking
 * verb leaves behind.
 *
 * <pre>{@code
 * Throwable thrown = Interrupting.whileBlocked(() -> sockets.read(name, Chunk.lines(1)));
 * Throwable death = Interrupting.endWhileBlocked(() -> sockets.read(name, Chunk.lines(1)), Thread::stop);
 * }</pre>
 */
public final class Interrupting {

  private Interrupting() {}

  /** A call that blocks. */
  @FunctionalInterface
  public interface Blocking {
    /** Blocks until interrupted, or returns or throws on its own. */
    void run() throws Exception;
  }

  /** Runs {@code call}, interrupts it once it waits, and returns what it threw (null if nothing). */
  public static Throwable whileBlocked(Blocking call) throws InterruptedException {
    return endWhileBlocked(call, Thread::interrupt);
  }

  /**
   * Runs {@code call}, applies {@code end} to its thread once it waits ({@code Thread::stop}, say),
   * and returns what it threw (null if nothing).
   */
  public static Throwable endWhileBlocked(Blocking call, Consumer<Thread> end) throws InterruptedException {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        call.run();
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    t.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    Thread.sleep(100); // parked in the wait itself, not in a lock on the way
    end.accept(t);
    t.join(10_000);
    assertThat(t.isAlive()).as("the ended call returned").isFalse();
    return thrown.get();
  }
}
