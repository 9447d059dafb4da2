package org.sockscript.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.sockscript.WriteCallback;

/** One queued write: the bytes, and who hears when they are handed to the OS. */
public final class WriteRequest {

  final ByteBuffer data;
  final int size;
  private final CompletableFuture<Void> result;
  private final WriteCallback callback;
  /** Set on the loop when queued: true if it was issued before {@code secure}, so it goes plain. */
  boolean plaintext;

  /** Where {@link #data} goes back when the write ends, if it came from a pool; else null. */
  private DirectBufferPool pool;

  private WriteRequest(ByteBuffer data, CompletableFuture<Void> result, WriteCallback callback) {
    this.data = data;
    this.size = data.remaining();
    this.result = result;
    this.callback = callback;
  }

  /**
   * A write of {@code length} bytes of {@code data} from {@code offset} whose caller waits on
   * {@code result}; those bytes must not change until it completes.
   */
  public static WriteRequest blocking(byte[] data, int offset, int length, CompletableFuture<Void> result) {
    return new WriteRequest(ByteBuffer.wrap(data, offset, length), result, null);
  }

  /** A write that tells {@code callback} (which may be null) when it is done. */
  public static WriteRequest callback(byte[] data, WriteCallback callback) {
    return new WriteRequest(ByteBuffer.wrap(data), null, callback);
  }

  /**
   * A callback write of a copy of {@code data} (the caller may reuse its array): into a pooled
   * direct buffer when {@code pool} has one for it, else onto the heap.
   */
  static WriteRequest callbackCopy(byte[] data, WriteCallback callback, DirectBufferPool pool) {
    ByteBuffer direct = pool.copyOf(data);
    if (direct == null) {
      return callback(data.clone(), callback);
    }
    WriteRequest w = new WriteRequest(direct, null, callback);
    w.pool = pool;
    return w;
  }

  public boolean isBlocking() {
    return result != null;
  }

  /** Whether {@link #size} bytes were reserved in the socket's write budget. */
  boolean reserved;
  /** Begun on the script's thread, the rest queued: it goes out even if a close came meanwhile. */
  volatile boolean partlySent;
  /** The queue counting this write as in flight, or null. */
  private WriteQueue countedBy;

  void countedBy(WriteQueue queue) {
    countedBy = queue;
  }

  /** Every way a write ends comes through here once: it is no longer in flight. */
  private void ended() {
    abandon(); // every byte is sent, or none will be: a pooled buffer is free again
    WriteQueue q = countedBy;
    countedBy = null;
    if (q != null) {
      q.finished();
    }
  }

  /** The write was never queued (its reservation failed): give a pooled copy back. */
  void abandon() {
    if (pool != null) {
      pool.give(data);
      pool = null;
    }
  }

  void complete(Connection c) {
    ended();
    if (result != null) {
      result.complete(null);
    } else if (callback != null) {
      c.events.written(callback, c.name);
    }
  }

  /** Sent as one datagram, on the caller's thread: answered now; a callback runs on {@code events}. */
  void sentAsDatagram(java.util.concurrent.Executor events, String socket) {
    ended();
    if (result != null) {
      result.complete(null);
    } else if (callback != null) {
      events.execute(() -> callback.written(socket));
    }
  }

  /** The connection the write was issued on, for {@link SocketCore#interrupted}. */
  volatile Connection on;

  /** What this write's caller hears however it fails, once it has given up on it; else null. */
  private IOException ownFailure;

  /**
   * Loop thread, its caller interrupted: if this write has not finished, the socket (whose stream
   * it may have cut short) fails with {@code closed}, which is what every other call waiting on it
   * hears, and this write with {@code interrupted} — in that order, so the caller, woken by its
   * answer, finds the socket closed, and no later write can follow the half-sent one.
   */
  void failIfPending(Connection c, IOException interrupted, IOException closed) {
    if (result != null && !result.isDone()) {
      ownFailure = interrupted;
      c.fail(closed);
      fail(interrupted); // in case the socket had ended already (then this is its only answer)
    }
  }

  void fail(IOException failure) {
    ended();
    if (result != null) {
      result.completeExceptionally(ownFailure != null ? ownFailure : failure);
    }
  }
}
