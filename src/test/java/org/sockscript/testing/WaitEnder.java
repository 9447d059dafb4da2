package org.sockscript.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InterruptedIOException;
import java.util.concurrent.RejectedExecutionException;

/**
 * The ways a caller can stop waiting in a blocking call before the call is done, each with what
 * the call then throws: for tests that check one behaviour for every way (a
 * {@code @ParameterizedTest} with {@code @EnumSource(WaitEnder.class)}).
 *
 * <pre>{@code
 * Throwable thrown = ender.end(() -> sockets.read(name, Chunk.lines(1)));
 * assertThat(thrown).isInstanceOf(ender.thrown());
 * }</pre>
 */
public enum WaitEnder {

  /** {@link Thread#interrupt}: the call throws the library's {@link InterruptedIOException}. */
  INTERRUPT("an interrupt", InterruptedIOException.class, Interrupting::whileBlocked),

  /**
   * The wait itself throws ({@link SaturatedPool}'s {@link RejectedExecutionException}, on every
   * JDK): the call lets that exception through.
   */
  EXCEPTION_FROM_THE_WAIT("an exception from its wait", RejectedExecutionException.class, SaturatedPool::run),

  /**
   * {@code Thread.stop}, a {@code ThreadDeath} at a random moment of the wait, as JShell's stop
   * (Ctrl-C) does to a script. From JDK 20 on {@code Thread.stop} only throws
   * UnsupportedOperationException, so there {@link #end} skips the test (an assumption).
   */
  @SuppressWarnings({"deprecation", "removal"})
  THREAD_STOP("Thread.stop", ThreadDeath.class, WaitEnder::stopWhileBlocked);

  /** Runs a call, ends its wait, returns what it threw. */
  @FunctionalInterface
  private interface Ending {
    Throwable end(Interrupting.Blocking call) throws Exception;
  }

  private final String description;
  private final Class<? extends Throwable> thrown;
  private final Ending ending;

  WaitEnder(String description, Class<? extends Throwable> thrown, Ending ending) {
    this.description = description;
    this.thrown = thrown;
    this.ending = ending;
  }

  /**
   * Runs {@code call} on a thread of its own, ends its wait this way once it waits, and returns
   * what it threw (null if it returned first).
   */
  public Throwable end(Interrupting.Blocking call) throws Exception {
    return ending.end(call);
  }

  /** What a call whose wait was ended this way throws. */
  public Class<? extends Throwable> thrown() {
    return thrown;
  }

  /** How the wait is ended, for test names and assertion descriptions ("an interrupt"). */
  @Override
  public String toString() {
    return description;
  }

  @SuppressWarnings({"deprecation", "removal"})
  private static Throwable stopWhileBlocked(Interrupting.Blocking call) throws InterruptedException {
    assumeTrue(Runtime.version().feature() < 20, "Thread.stop throws UnsupportedOperationException from JDK 20 on;"
        + " EXCEPTION_FROM_THE_WAIT ends the same wait with a throwable that is not an interrupt there,"
        + " and JShellStopTest stops a read in a real JShell");
    return Interrupting.endWhileBlocked(call, Thread::stop);
  }
}
