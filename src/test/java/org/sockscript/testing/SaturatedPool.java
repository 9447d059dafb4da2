package org.sockscript.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Runs a call on the only worker of a {@link ForkJoinPool} that may not add a thread: the first
 * time the call blocks in a wait the pool manages ({@code CompletableFuture.get}, say), the wait
 * throws {@link java.util.concurrent.RejectedExecutionException} ("Thread limit exceeded replacing
 * blocked worker"). That is a blocking call ended by a throwable that is not an interrupt, on
 * every JDK and at a known moment — what {@code Thread.stop} does at a random one, and JShell's
 * stop does to a script.
 *
 * <pre>{@code
 * Throwable thrown = SaturatedPool.run(() -> sockets.read(name, Chunk.lines(1)));
 * }</pre>
 */
public final class SaturatedPool {

  private SaturatedPool() {}

  /** Runs {@code call} on such a worker; returns what it threw, or null if it returned. */
  public static Throwable run(Interrupting.Blocking call) throws Exception {
    ForkJoinPool pool = new ForkJoinPool(1, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null,
        false, 1, 1, 1, null, 1, TimeUnit.SECONDS);
    try {
      Callable<Throwable> task = () -> {
        try {
          call.run();
          return null;
        } catch (Throwable t) {
          return t;
        }
      };
      return pool.submit(task).get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
  }
}
