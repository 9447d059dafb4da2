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
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the socket");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      StackTraceElement[] here = new Throwable().getStackTrace();
      cause.setStackTrace(java.util.Arrays.copyOfRange(here, 1, here.length));
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new IOException(cause);
    }
  }
}
