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

  private WriteRequest(byte[] data, CompletableFuture<Void> result, WriteCallback callback) {
    this.data = ByteBuffer.wrap(data);
    this.size = data.length;
    this.result = result;
    this.callback = callback;
  }

  /** A write whose caller waits on {@code result}; {@code data} must not change afterwards. */
  public static WriteRequest blocking(byte[] data, CompletableFuture<Void> result) {
    return new WriteRequest(data, result, null);
  }

  /** A write that tells {@code callback} (which may be null) when it is done. */
  public static WriteRequest callback(byte[] data, WriteCallback callback) {
    return new WriteRequest(data, null, callback);
  }

  public boolean isBlocking() {
    return result != null;
  }

  /** Whether {@link #size} bytes were reserved in the socket's write budget. */
  boolean reserved;
  /** The queue counting this write as in flight, or null. */
  private WriteQueue countedBy;

  void countedBy(WriteQueue queue) {
    countedBy = queue;
  }

  /** Every way a write ends comes through here once: it is no longer in flight. */
  private void ended() {
    WriteQueue q = countedBy;
    countedBy = null;
    if (q != null) {
      q.finished();
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

  void fail(IOException failure) {
    ended();
    if (result != null) {
      result.completeExceptionally(failure);
    }
  }
}
