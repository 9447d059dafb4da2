package org.sockscript.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Backpressure for one socket's write queue: a writer waits while the queue holds more than the
 * limit. A single write larger than the limit is still accepted once the queue is empty. A waiting
 * writer is woken once the queue has drained to half its limit, not after every write that went
 * out: one wake-up (and context switch) per half a queue instead of one per write.
 *
 * <p>A {@link ReentrantLock}, held only to look at the counts, and writers parked outside it, not
 * a monitor: a virtual thread waiting for room does not pin its carrier.
 */
final class WriteBudget {

  private final ReentrantLock lock = new ReentrantLock();
  /** The writers waiting for room, woken together when the queue has drained enough. */
  private final java.util.List<Thread> waiters = new java.util.ArrayList<>();
  private long queued;
  private boolean closed;
  private int waiting;
  /** Where a waiting writer is worth waking (half the limit it waits under). */
  private long wakeBelow;

  /**
   * Called by a script thread before queueing {@code n} bytes. A writer that must wait hands its
   * listener's turn on meanwhile (see {@link SerialExecutor}), outside this object's lock.
   */
  void reserve(String socket, int n, int limit, long timeoutNanos) throws IOException {
    if (reserveNow(n, limit) || queuedAnywayOnLoop(n)) {
      return;
    }
    SerialExecutor turn = SerialExecutor.releaseTurn();
    try {
      reserveWaiting(socket, n, limit, timeoutNanos);
    } finally {
      if (turn != null) {
        turn.reacquire();
      }
    }
  }

  /**
   * A callback write from a listener call on the I/O thread ({@code ListenerThreads.IO_THREAD})
   * cannot wait for room: it is queued over the limit (such handlers never block, so they pace
   * themselves by the write callbacks).
   */
  private boolean queuedAnywayOnLoop(int n) {
    if (!EventLoop.onLoopThread()) {
      return false;
    }
    lock.lock();
    try {
      queued += n;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Takes room for {@code n} bytes if no wait is needed (as {@link #reserveWaiting} would at once). */
  private boolean reserveNow(int n, int limit) {
    lock.lock();
    try {
      if (closed || queued == 0 || (queued + n <= limit && waiting == 0)) {
        queued += n;
        return true;
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  private void reserveWaiting(String socket, int n, int limit, long timeoutNanos) throws IOException {
    Thread me = Thread.currentThread();
    long deadline = System.nanoTime() + timeoutNanos;
    lock.lock();
    boolean behindWaiters = waiting > 0; // a newcomer does not overtake writers already waiting
    waiting++;
    wakeBelow = Math.max(wakeBelow, limit / 2);
    waiters.add(me);
    lock.unlock();
    try {
      while (true) {
        lock.lock();
        try {
          if (closed || queued == 0 || (queued + n <= limit && !behindWaiters)) {
            queued += n;
            return;
          }
        } finally {
          lock.unlock();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new SocketTimeoutException("timeout: " + socket + " write queue stayed above "
              + limit + " bytes for " + timeoutNanos / 1_000_000 + " ms (" + queued + " queued)");
        }
        // Parked outside the lock (not on a Condition): whatever is thrown into this thread
        // meanwhile (JShell's stop) leaves the lock and its queue as they were.
        LockSupport.parkNanos(this, left);
        if (Thread.interrupted()) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while waiting to write to " + socket);
        }
        behindWaiters = false; // woken with the others: now room alone decides
      }
    } finally {
      lock.lock();
      try {
        waiters.remove(me);
        if (--waiting == 0) {
          wakeBelow = 0;
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** Called on the loop when a write of {@code n} bytes finished or failed. */
  void release(int n) {
    lock.lock();
    try {
      queued -= n;
      if (waiting > 0 && queued <= wakeBelow) { // (wakeBelow >= 0: an empty queue always wakes)
        waiters.forEach(LockSupport::unpark);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiting writer for good: the socket is gone. */
  void close() {
    lock.lock();
    try {
      closed = true;
      waiters.forEach(LockSupport::unpark);
    } finally {
      lock.unlock();
    }
  }
}
