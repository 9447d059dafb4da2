package org.sockscript.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Blocking verbs wait here for the loop's answer, and get its exception as their own.
 *
 * <p>A caller may stop waiting before the answer comes: interrupted, or ended by any other
 * throwable — JShell's stop (Ctrl-C) throws {@link ThreadDeath} into the waiting thread, a
 * saturated ForkJoinPool throws {@code RejectedExecutionException} from a worker's wait, memory
 * runs out, a nudge fails. Whatever ends the wait, the call's {@code giveUp} runs, so that
 * nothing is left queued on its behalf (a read left behind would swallow the next line).
 *
 * <p>A wait inside a listener's call hands that listener's turn on while it lasts
 * ({@link SerialExecutor#releaseTurn}), so its other calls run meanwhile; the turn is taken back
 * before the call returns to the script, however the wait ended. No wait may happen on an I/O
 * thread: it would wait for itself.
 */
public final class Waits {

  private Waits() {}

  /**
   * Waits for {@code result}. The loop enforces the socket timeout, so this needs none of its own.
   * A failure is rethrown with the caller's stack trace (the loop's is of no use to a script);
   * the underlying JDK exception stays attached as the cause.
   */
  public static <T> T await(CompletableFuture<T> result) throws IOException {
    return await(result, Long.MAX_VALUE, null);
  }

  /**
   * As {@link #await(CompletableFuture)}; if the caller stops waiting, {@code undo} runs first
   * (an abandoned open closes its socket, say) and the call ends at once.
   */
  public static <T> T await(CompletableFuture<T> result, Runnable undo) throws IOException {
    return await(result, Long.MAX_VALUE, null, () -> {
      undo.run();
      return true;
    });
  }

  /**
   * As {@link #await(CompletableFuture)}, for a call that cannot be abandoned half done: if the
   * caller stops waiting, {@code hasten} runs (a write fails its socket, say) and this waits for
   * the answer all the same, then keeps the interrupt status or rethrows what ended the wait.
   */
  public static <T> T awaitAnswer(CompletableFuture<T> result, Runnable hasten) throws IOException {
    return await(result, Long.MAX_VALUE, null, () -> {
      hasten.run();
      return false;
    });
  }

  /**
   * As {@link #await(CompletableFuture)}, running {@code nudge} once if no answer came within
   * {@code nudgeAfterNanos}: for a call the loop may not have been woken for yet.
   */
  public static <T> T await(CompletableFuture<T> result, long nudgeAfterNanos, Runnable nudge)
      throws IOException {
    return await(result, nudgeAfterNanos, nudge, () -> true);
  }

  /**
   * As above; if the caller stops waiting, {@code giveUp} takes the call back and says whether it
   * may end now. Interrupted: true, and this throws {@link InterruptedIOException} at once; false
   * (the call cannot be abandoned half done), and this waits on for its answer, keeping the
   * thread's interrupt status. Ended by any other throwable: {@code giveUp} runs all the same (on
   * false this waits for the answer first, deaf to interrupts), then the throwable goes on.
   */
  public static <T> T await(CompletableFuture<T> result, long nudgeAfterNanos, Runnable nudge,
      BooleanSupplier giveUp) throws IOException {
    if (result.isDone()) {
      return waitFor(result, nudgeAfterNanos, nudge, giveUp); // answers at once: the turn stays
    }
    EventLoop.refuseWaitOnLoop("a blocking call");
    SerialExecutor turn = SerialExecutor.releaseTurn();
    try {
      return waitFor(result, nudgeAfterNanos, nudge, giveUp);
    } finally {
      if (turn != null) {
        turn.reacquire();
      }
    }
  }

  private static <T> T waitFor(CompletableFuture<T> result, long nudgeAfterNanos, Runnable nudge,
      BooleanSupplier giveUp) throws IOException {
    try {
      return answer(result, nudgeAfterNanos, nudge);
    } catch (InterruptedException e) {
      boolean gaveUp;
      try {
        gaveUp = giveUp.getAsBoolean();
      } catch (RuntimeException | Error notNow) { // the registry closed meanwhile, say
        Thread.currentThread().interrupt();
        throw notNow;
      }
      if (gaveUp) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the socket");
      }
      return answerKeepingInterrupt(result);
    } catch (ExecutionException e) {
      throw rethrown(e);
    } catch (RuntimeException | Error stopped) { // ThreadDeath, RejectedExecutionException, ...
      leave(result, giveUp);
      throw stopped;
    }
  }

  private static <T> T answer(CompletableFuture<T> result, long nudgeAfterNanos, Runnable nudge)
      throws InterruptedException, ExecutionException {
    if (nudge != null) {
      try {
        return result.get(nudgeAfterNanos, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        nudge.run();
      }
    }
    return result.get();
  }

  /** A throwable ended the wait: takes the call back, or waits for the answer it cannot leave. */
  private static void leave(CompletableFuture<?> result, BooleanSupplier giveUp) {
    boolean gaveUp;
    try {
      gaveUp = giveUp.getAsBoolean();
    } catch (RuntimeException closedMeanwhile) {
      return; // the registry closed: its close ends the call's socket, and the call with it
    }
    if (!gaveUp) {
      awaitDone(result); // a write, say: its array must not be read once the call has ended
    }
  }

  /** Interrupted, but the call must end with its answer: waits for it; the status is restored. */
  private static <T> T answerKeepingInterrupt(CompletableFuture<T> result) throws IOException {
    try {
      awaitDone(result);
      return result.get(); // done: answers at once
    } catch (InterruptedException e) {
      throw new AssertionError("a completed future does not wait", e);
    } catch (ExecutionException e) {
      throw rethrown(e);
    } finally {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until {@code result} is done, deaf to interrupts (whose status it keeps) and outside any
   * pool's managed blocking (a saturated ForkJoinPool refuses that with an exception).
   */
  private static void awaitDone(CompletableFuture<?> result) {
    Thread waiter = Thread.currentThread();
    result.whenComplete((answer, failure) -> LockSupport.unpark(waiter));
    boolean interrupted = false;
    while (!result.isDone()) {
      LockSupport.park(result);
      interrupted |= Thread.interrupted(); // else park returns at once from now on
    }
    if (interrupted) {
      waiter.interrupt();
    }
  }

  /** The loop's failure with the caller's stack trace (less the frames in here). */
  private static IOException rethrown(ExecutionException e) {
    Throwable cause = e.getCause();
    StackTraceElement[] here = new Throwable().getStackTrace();
    cause.setStackTrace(java.util.Arrays.copyOfRange(here, Math.min(2, here.length), here.length));
    if (cause instanceof IOException) {
      return (IOException) cause;
    }
    if (cause instanceof RuntimeException) {
      throw (RuntimeException) cause;
    }
    return new IOException(cause);
  }
}
