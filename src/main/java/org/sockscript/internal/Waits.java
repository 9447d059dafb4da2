package org.sockscript.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Blocking verbs wait here for the loop's answer, and get its exception as their own. */
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
   * As {@link #await(CompletableFuture)}, running {@code nudge} once if no answer came within
   * {@code nudgeAfterNanos}: for a call the loop may not have been woken for yet.
   */
  public static <T> T await(CompletableFuture<T> result, long nudgeAfterNanos, Runnable nudge)
      throws IOException {
    return await(result, nudgeAfterNanos, nudge, () -> true);
  }

  /**
   * As above; if the caller is interrupted, {@code giveUp} decides: true, and this throws
   * {@link InterruptedIOException} at once; false (the call cannot be abandoned half done), and
   * this waits on for its answer, keeping the thread's interrupt status.
   */
  public static <T> T await(CompletableFuture<T> result, long nudgeAfterNanos, Runnable nudge,
      java.util.function.BooleanSupplier giveUp) throws IOException {
    try {
      if (nudge != null) {
        try {
          return result.get(nudgeAfterNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          nudge.run();
        }
      }
      return result.get();
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
    }
  }

  private static <T> T answerKeepingInterrupt(CompletableFuture<T> result) throws IOException {
    try {
      while (true) {
        try {
          return result.get();
        } catch (InterruptedException again) {
          // keep waiting: the answer is on its way, and the status is restored below
        }
      }
    } catch (ExecutionException e) {
      throw rethrown(e);
    } finally {
      Thread.currentThread().interrupt();
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
