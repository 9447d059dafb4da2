package org.sockscript.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The outbound side of a connection: writes in issue order, each stamped plaintext or not when
 * queued (rule 1 and 2 of {@link Upgrade}), and the budget that gives writers backpressure.
 *
 * <p>The loop owns the queue. A script thread may write a plaintext socket directly
 * ({@link #writeDirect}) when nothing is in flight ahead of it, saving two thread hand-offs.
 * {@link #lock} keeps the two in order: the loop sends only while holding it, a script thread
 * checks, writes or queues while holding it, and {@code secure} marks its request under it, so no
 * byte issued before or after can cross the upgrade. A lock, not this object's monitor: a script
 * thread may wait inside it for the TLS stage, and a virtual thread waiting while it holds a
 * monitor pins its carrier (JDK 21 to 23).
 */
final class WriteQueue {

  /** Held around every send, direct write, stamp and count (see the class comment). */
  final ReentrantLock lock = new ReentrantLock();

  final WriteBudget budget = new WriteBudget();
  private final ArrayDeque<WriteRequest> writes = new ArrayDeque<>(4); // (small: an idle socket holds it; it grows)
  /** Writes issued and not ended, on any thread (guarded by this). */
  private int inFlight;

  /**
   * Script thread: writes {@code w} to the socket now if nothing is in flight and the socket is
   * open, plain or secure ({@link CallerTls}). Returns false if it did not (the caller queues it); true if it is done, or
   * partly sent with the rest queued behind nothing.
   */
  boolean writeDirect(Connection c, WriteRequest w, Consumer<WriteRequest> queue) {
    lock.lock();
    try {
      return writeDirectLocked(c, w, queue);
    } finally {
      lock.unlock();
    }
  }

  private boolean writeDirectLocked(Connection c, WriteRequest w, Consumer<WriteRequest> queue) {
    if (inFlight != 0 || c.state != Connection.State.OPEN || c.ended != null || c.upgradeRequested
        || c.peerClosed) { // (half-closed: the loop times its idling)
      return false;
    }
    if (c.tls != null || c.upgrade != null) {
      if (!CallerTls.write(c, w)) {
        return false;
      }
      if (CallerTls.needsLoop(c, w)) {
        queueRest(w, queue); // the rest, or records the socket did not take, go from the loop
      } else {
        w.complete(c);
      }
      return true;
    }
    try {
      c.channel.write(w.data);
    } catch (IOException e) {
      return false; // the loop will meet the failure and answer the queued write with it
    }
    if (!w.data.hasRemaining()) {
      w.complete(c);
      return true;
    }
    queueRest(w, queue);
    return true;
  }

  /**
   * A write begun on the script's thread goes on from the loop, and goes out even if the socket
   * is closed meanwhile (a close waits for it: {@link #allSent}), so the peer never gets half of
   * it and then a clean end. Its rest is not counted in the budget (a callback writer issuing
   * more at once must not wait on it), so the next write is let in as into an empty queue and
   * the one after it waits: one write's worth past the limit at most.
   */
  private void queueRest(WriteRequest w, Consumer<WriteRequest> queue) {
    w.partlySent = true;
    queueCounted(w, queue);
  }

  /** Loop, under this lock: nothing queued, and no write on its way to the queue either. */
  boolean allSent() {
    lock.lock();
    try {
      return writes.isEmpty() && inFlight == 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Script thread: counts {@code w} as in flight, stamps it plaintext or not (rules 1 and 2 of
   * {@link Upgrade}: as the socket stands when the write is issued, under the lock {@code secure}
   * marks its request under), and hands it to the loop, in one step. Stamped here, not on the
   * loop: a {@code secure} set up at once on the loop (a listener call there) must not overtake
   * writes issued before it.
   */
  void queueCounted(WriteRequest w, Consumer<WriteRequest> queue) {
    lock.lock();
    try {
      w.plaintext = w.on.tls == null && !w.on.upgradeRequested;
      inFlight++;
      w.countedBy(this);
      queue.accept(w);
    } finally {
      lock.unlock();
    }
  }

  /** A counted write ended. */
  void finished() {
    lock.lock();
    try {
      inFlight--;
    } finally {
      lock.unlock();
    }
  }

  /** Queues {@code write}, stamped plaintext or not when it was issued ({@link #queueCounted}). */
  void add(WriteRequest write) {
    writes.add(write);
  }

  WriteRequest head() {
    return writes.peek();
  }

  boolean isEmpty() {
    return writes.isEmpty();
  }

  /** Whether the head write must still go out in plaintext. */
  boolean plaintextPending() {
    return !writes.isEmpty() && writes.peek().plaintext;
  }

  /**
   * The plaintext writes at the head of the queue (up to 16, about 64 KiB), for one gathering
   * write: many small queued writes then cost one system call.
   */
  java.nio.ByteBuffer[] plaintextBatch() {
    if (batch == null) {
      batch = new java.nio.ByteBuffer[16]; // at the first batch: an idle socket carries none
    }
    int n = 0;
    long bytes = 0;
    for (WriteRequest w : writes) {
      // About 64 KiB at most: the JDK copies every heap buffer of a gathering write into direct
      // memory first, and copies them all again after a partial write.
      if (!w.plaintext || n == batch.length || (n > 0 && bytes >= 64 * 1024)) {
        break;
      }
      batch[n++] = w.data;
      bytes += w.data.remaining();
    }
    return n == batch.length ? batch : java.util.Arrays.copyOf(batch, n);
  }

  private java.nio.ByteBuffer[] batch;

  /** Completes the head writes that are wholly sent; returns how many. */
  int completeSent(Connection c) {
    int done = 0;
    while (!writes.isEmpty() && !writes.peek().data.hasRemaining()) {
      completeHead(c);
      done++;
    }
    return done;
  }

  /** The head write has been handed to the OS. */
  void completeHead(Connection c) {
    WriteRequest done = writes.poll();
    release(done);
    done.complete(c);
  }

  private void release(WriteRequest w) {
    if (w.reserved) {
      budget.release(w.size);
    }
  }

  /** Drops the writes issued after secure (rule 2: they never go out in plaintext). */
  void dropEncrypted(IOException failure) {
    writes.removeIf(write -> {
      if (write.plaintext) {
        return false;
      }
      write.fail(failure);
      release(write);
      return true;
    });
  }

  /** Drops every queued write: none of them will be sent. */
  void failAll(IOException failure) {
    for (WriteRequest write : writes) {
      write.fail(failure);
      release(write);
    }
    writes.clear();
  }
}
