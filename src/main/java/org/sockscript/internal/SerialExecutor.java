package org.sockscript.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One listener's turn: runs its calls one at a time, in order, on a shared pool, so a listener
 * serving many sockets never needs a lock. A task that throws is logged and the next one runs.
 *
 * <p>The turn is handed on while a call waits, the LiveCode way (a blocking {@code read} there
 * keeps the engine's messages flowing): a blocking verb called inside a task releases the turn
 * ({@link #releaseTurn}) so the listener's next calls run meanwhile, on another pool thread, and
 * takes it back ({@link #reacquire}) before it returns to the script. So code of one listener
 * between two blocking verbs never runs at the same time as other code of that listener, and a
 * handler blocked on one connection never stalls the others. A caller coming back from a wait
 * goes before calls not yet started.
 *
 * <p>A {@link ReentrantLock} rather than monitors: waiting here does not pin a virtual thread.
 */
public final class SerialExecutor implements Executor {

  /** The executor whose task the current thread is running, or null. */
  private static final ThreadLocal<SerialExecutor> RUNNING = new ThreadLocal<>();
  /** {@link #owner} while a pool thread is on its way to take the turn. */
  private static final Object STARTING = new Object();

  private final Executor pool;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  /** Threads back from a wait, waiting for the turn, first come first. */
  private final ArrayDeque<Thread> resumers = new ArrayDeque<>();
  /** Who has the turn: a thread, {@link #STARTING}, or null when it is free. */
  private Object owner;

  public SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    lock.lock();
    try {
      queue.add(task);
      if (owner != null) {
        return;
      }
      owner = STARTING;
    } finally {
      lock.unlock();
    }
    startDrain();
  }

  private void startDrain() {
    try {
      pool.execute(this::drain);
    } catch (RuntimeException | Error refused) { // shut down, or no thread to be had
      lock.lock();
      try {
        if (resumers.isEmpty()) {
          owner = null;
        } else {
          offerToResumers(); // a caller back from its wait must not be left parked
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private void drain() {
    Thread me = Thread.currentThread();
    lock.lock();
    try {
      owner = me; // it was STARTING: this drain was started to take the turn
    } finally {
      lock.unlock();
    }
    while (true) {
      Runnable task;
      if (!hasTurn(me)) {
        reacquire(); // a task ended without taking its turn back (stopped mid-wait): no overlap
      }
      lock.lock();
      try {
        if (!resumers.isEmpty()) {
          offerToResumers(); // a caller back from its wait goes first (its drain goes on after it)
          return;
        }
        task = queue.poll();
        if (task == null) {
          owner = null;
          return;
        }
      } finally {
        lock.unlock();
      }
      RUNNING.set(this);
      try {
        task.run();
      } catch (Throwable t) {
        ListenerFailures.report(t);
      } finally {
        RUNNING.remove();
      }
    }
  }

  /**
   * Under the lock: frees the turn for the callers back from their waits, waking the first of
   * them (only it: no herd). Another one already awake may take it first (as a lock that lets
   * threads barge): the turn is never idle waiting for a thread to be scheduled; the woken one
   * stays first in line.
   */
  private void offerToResumers() {
    owner = null;
    LockSupport.unpark(resumers.peek());
  }

  /**
   * Before a blocking wait: if this thread runs a listener's call, hands that listener's turn on
   * (to a caller back from its wait, else to the next queued call) and returns the executor, whose
   * {@link #reacquire} the caller must call once the wait is over, whatever ended it; else null.
   */
  static SerialExecutor releaseTurn() {
    SerialExecutor turn = RUNNING.get();
    if (turn == null) {
      return null;
    }
    boolean drain = false;
    turn.lock.lock();
    try {
      if (!turn.resumers.isEmpty()) {
        turn.offerToResumers();
      } else if (!turn.queue.isEmpty()) {
        turn.owner = STARTING;
        drain = true;
      } else {
        turn.owner = null;
      }
    } finally {
      turn.lock.unlock();
    }
    if (drain) {
      turn.startDrain();
    }
    return turn;
  }

  /**
   * After a wait: takes the turn back, waiting while another call has it — deaf to interrupts,
   * and to anything thrown into the thread meanwhile (JShell's stop), which is rethrown once the
   * turn is held: a call never goes on, nor its drain, without the turn.
   */
  void reacquire() {
    Thread me = Thread.currentThread();
    boolean interrupted = false;
    Throwable thrownIn = null;
    while (true) {
      try {
        if (tryTake(me)) {
          break;
        }
        LockSupport.park(this);
        interrupted |= Thread.interrupted(); // else park would return at once from now on
      } catch (Throwable t) { // ThreadDeath, say: first the turn, then the throwable
        thrownIn = thrownIn == null ? t : thrownIn;
      }
    }
    if (interrupted) {
      me.interrupt();
    }
    if (thrownIn instanceof RuntimeException) {
      throw (RuntimeException) thrownIn;
    }
    if (thrownIn instanceof Error) {
      throw (Error) thrownIn;
    }
  }

  private boolean hasTurn(Thread me) {
    lock.lock();
    try {
      return owner == me;
    } finally {
      lock.unlock();
    }
  }

  /** Takes the turn if it is free (leaving the line), else joins the line once; true if taken. */
  private boolean tryTake(Thread me) {
    lock.lock();
    try {
      if (owner == null) {
        owner = me;
        resumers.remove(me);
        return true;
      }
      if (!resumers.contains(me)) {
        resumers.add(me);
      }
      return false;
    } finally {
      lock.unlock();
    }
  }
}
