package org.sockscript.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listener turns when things go wrong: a call stopped (ThreadDeath) while it waits for its turn
 * back still takes it before going on, so the listener neither overlaps nor falls silent; a drain
 * the pool refuses to start wakes the caller waiting for the turn.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenerTurnEdgesTest {

  /** Waits until {@code t} is parked (WAITING), and a little more. */
  private static void awaitParked(Thread t) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    Thread.sleep(100);
    assertThat(t.getState()).isEqualTo(Thread.State.WAITING);
  }

  /**
   * A ThreadDeath (JShell's stop, on JDK 17-19) while a caller waits in reacquire for the turn held
   * by another call: the drain thread then overwrites the owner, leaves a stale entry in the line,
   * and the listener never runs another call.
   */
  @Test
  @SuppressWarnings({"deprecation", "removal"})
  void aCallStoppedWhileWaitingForItsTurnBackLeavesTheListenerAlive() throws Exception {
    Assumptions.assumeTrue(Runtime.version().feature() < 20);
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      SerialExecutor turn = new SerialExecutor(pool);
      CountDownLatch aReleased = new CountDownLatch(1);
      CountDownLatch aWaitOver = new CountDownLatch(1);
      CountDownLatch bRunning = new CountDownLatch(1);
      CountDownLatch bMayEnd = new CountDownLatch(1);
      CountDownLatch cRan = new CountDownLatch(1);
      AtomicReference<Thread> aThread = new AtomicReference<>();
      turn.execute(() -> { // as Waits.await does
        aThread.set(Thread.currentThread());
        SerialExecutor mine = SerialExecutor.releaseTurn();
        try {
          aReleased.countDown();
          aWaitOver.await();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        } finally {
          mine.reacquire();
        }
      });
      assertThat(aReleased.await(5, TimeUnit.SECONDS)).isTrue();
      turn.execute(() -> { // B takes the free turn and holds it
        bRunning.countDown();
        try {
          bMayEnd.await();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      });
      assertThat(bRunning.await(5, TimeUnit.SECONDS)).isTrue();
      aWaitOver.countDown(); // A's wait is over: it waits in reacquire for B's turn
      awaitParked(aThread.get());
      aThread.get().stop(); // ThreadDeath inside reacquire's park
      Thread.sleep(200);
      bMayEnd.countDown();
      Thread.sleep(200);
      turn.execute(cRan::countDown);
      assertThat(cRan.await(3, TimeUnit.SECONDS)).as("a later call of the listener runs").isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The pool refuses a drain (the registry closed) while a caller back from its wait has joined the
   * line behind STARTING: startDrain frees the turn without waking it, and it parks forever.
   */
  @Test
  void aRefusedDrainWakesTheCallerWaitingForTheTurn() throws Exception {
    ExecutorService real = Executors.newCachedThreadPool();
    AtomicBoolean refuse = new AtomicBoolean();
    CountDownLatch inRefusal = new CountDownLatch(1);
    CountDownLatch refuseNow = new CountDownLatch(1);
    java.util.concurrent.Executor pool = r -> {
      if (refuse.get()) {
        inRefusal.countDown();
        try {
          refuseNow.await();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        throw new RejectedExecutionException("shut down");
      }
      real.execute(r);
    };
    try {
      SerialExecutor turn = new SerialExecutor(pool);
      CountDownLatch aReleased = new CountDownLatch(1);
      CountDownLatch aWaitOver = new CountDownLatch(1);
      CountDownLatch aBack = new CountDownLatch(1);
      AtomicReference<Thread> aThread = new AtomicReference<>();
      turn.execute(() -> {
        aThread.set(Thread.currentThread());
        SerialExecutor mine = SerialExecutor.releaseTurn(); // queue empty: the turn is free
        try {
          aReleased.countDown();
          aWaitOver.await();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        } finally {
          mine.reacquire();
        }
        aBack.countDown();
      });
      assertThat(aReleased.await(5, TimeUnit.SECONDS)).isTrue();
      refuse.set(true);
      Thread event = new Thread(() -> turn.execute(() -> { })); // an event as the pool shuts down
      event.start();
      assertThat(inRefusal.await(5, TimeUnit.SECONDS)).isTrue(); // owner == STARTING now
      aWaitOver.countDown();
      awaitParked(aThread.get()); // A joined the line behind STARTING
      refuseNow.countDown(); // startDrain's catch: owner = null, nobody woken
      event.join();
      assertThat(aBack.await(3, TimeUnit.SECONDS)).as("the caller back from its wait gets the turn").isTrue();
    } finally {
      refuseNow.countDown();
      real.shutdownNow();
    }
  }
}
