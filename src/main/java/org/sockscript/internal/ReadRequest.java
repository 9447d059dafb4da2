package org.sockscript.internal;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.concurrent.CompletableFuture;
import org.sockscript.Chunk;
import org.sockscript.ReadCallback;
import org.sockscript.SocketEofException;

/** One queued read: a chunk to wait for, and who gets it (a waiting script or a callback). */
public final class ReadRequest {

  final ChunkMatcher matcher;
  private final CompletableFuture<byte[]> result;
  private final ReadCallback callback;

  private ReadRequest(Chunk chunk, Charset charset, CompletableFuture<byte[]> result,
      ReadCallback callback) {
    this.matcher = new ChunkMatcher(chunk, charset);
    this.result = result;
    this.callback = callback;
  }

  /** A read whose caller waits on {@code result}. */
  public static ReadRequest blocking(Chunk chunk, Charset charset, CompletableFuture<byte[]> result) {
    return new ReadRequest(chunk, charset, result, null);
  }

  /** A read that hands its chunk to {@code callback}. */
  public static ReadRequest callback(Chunk chunk, Charset charset, ReadCallback callback) {
    return new ReadRequest(chunk, charset, null, callback);
  }

  public Chunk chunk() {
    return matcher.chunk();
  }

  public boolean isBlocking() {
    return result != null;
  }

  /** Set by a fast-path take: the loop must look at the socket again (see {@link ReadQueue}). */
  boolean loopShouldLook;

  /** The queue counting this read as in flight, or null (see {@link ReadQueue#takeNowOrCount}). */
  private ReadQueue countedBy;

  void countedBy(ReadQueue queue) {
    countedBy = queue;
  }

  /** Every way a read ends comes through here once: it is no longer in flight. */
  private void ended() {
    ReadQueue q = countedBy;
    countedBy = null;
    if (q != null) {
      q.finished();
    }
  }

  void complete(Connection c, byte[] data) {
    ended();
    if (result != null) {
      result.complete(data);
    } else {
      c.events.received(callback, c.name, new String(data, c.charset));
    }
  }

  /** The peer closed before the chunk was complete: hand over what did arrive. */
  void completeAtEof(Connection c, byte[] partial) {
    ended();
    if (result == null) {
      c.events.received(callback, c.name, new String(partial, c.charset));
    } else if (chunk().kind() == Chunk.Kind.UNTIL_END) {
      result.complete(partial);
    } else {
      result.completeExceptionally(new SocketEofException(c.name, chunk(), partial, c.charset));
    }
  }

  /** The read cannot complete; a waiting script gets {@code failure}, a callback nothing. */
  void fail(IOException failure) {
    ended();
    if (result != null) {
      result.completeExceptionally(failure);
    }
  }
}
