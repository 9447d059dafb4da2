package org.sockscript.internal;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * The outbound side of a connection: writes in issue order, each stamped plaintext or not when
 * queued (rule 1 and 2 of {@link Upgrade}), and the budget that gives writers backpressure.
 * Loop thread only, except {@link #budget}.
 */
final class WriteQueue {

  final WriteBudget budget = new WriteBudget();
  private final ArrayDeque<WriteRequest> writes = new ArrayDeque<>();

  /** Queues {@code write}; it goes plain only if the socket had not started an upgrade. */
  void add(WriteRequest write, boolean plaintext) {
    write.plaintext = plaintext;
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
   * The plaintext writes at the head of the queue (up to 16), for one gathering write: many
   * small queued writes then cost one system call.
   */
  java.nio.ByteBuffer[] plaintextBatch() {
    int n = 0;
    for (WriteRequest w : writes) {
      if (!w.plaintext || n == batch.length) {
        break;
      }
      batch[n++] = w.data;
    }
    return n == batch.length ? batch : java.util.Arrays.copyOf(batch, n);
  }

  private final java.nio.ByteBuffer[] batch = new java.nio.ByteBuffer[16];

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
    budget.release(done.size);
    done.complete(c);
  }

  /** Drops the writes issued after secure (rule 2: they never go out in plaintext). */
  void dropEncrypted(IOException failure) {
    writes.removeIf(write -> {
      if (write.plaintext) {
        return false;
      }
      write.fail(failure);
      budget.release(write.size);
      return true;
    });
  }

  /** Drops every queued write: none of them will be sent. */
  void failAll(IOException failure) {
    for (WriteRequest write : writes) {
      write.fail(failure);
      budget.release(write.size);
    }
    writes.clear();
  }
}
