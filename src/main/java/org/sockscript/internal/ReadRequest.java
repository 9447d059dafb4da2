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

  /** Where a read into the caller's array puts its bytes (see {@link #into}), else null. */
  private final byte[] into;
  private final int intoOffset;
  /** How many bytes a read into an array took; read after {@code result} completes. */
  private int taken;

  private ReadRequest(Chunk chunk, Charset charset, CompletableFuture<byte[]> result,
      ReadCallback callback, byte[] into, int intoOffset) {
    this.matcher = new ChunkMatcher(chunk, charset);
    this.result = result;
    this.callback = callback;
    this.into = into;
    this.intoOffset = intoOffset;
  }

  private ReadRequest(Chunk chunk, Charset charset, CompletableFuture<byte[]> result,
      ReadCallback callback) {
    this(chunk, charset, result, callback, null, 0);
  }

  /** A read whose caller waits on {@code result}. */
  public static ReadRequest blocking(Chunk chunk, Charset charset, CompletableFuture<byte[]> result) {
    return new ReadRequest(chunk, charset, result, null);
  }

  /** A read that hands its chunk to {@code callback}. */
  public static ReadRequest callback(Chunk chunk, Charset charset, ReadCallback callback) {
    return new ReadRequest(chunk, charset, null, callback);
  }

  /**
   * A blocking read of between 1 and {@code length} bytes straight into {@code into} from
   * {@code offset}, allocating nothing: {@code result} completes with an empty array and
   * {@link #taken()} says how many bytes came.
   */
  public static ReadRequest into(byte[] into, int offset, int length, CompletableFuture<byte[]> result) {
    return new ReadRequest(Chunk.upTo(length), null, result, null, into, offset);
  }

  /** The bytes a read {@link #into} an array took (valid once its result completed). */
  public int taken() {
    return taken;
  }

  /** Removes the chunk's {@code n} bytes from {@code in}: a new array, or into the caller's. */
  byte[] take(InboundBuffer in, int n) {
    if (into == null) {
      return in.take(n);
    }
    in.takeInto(into, intoOffset, n);
    taken = n;
    return TAKEN_INTO;
  }

  /** What a take returns when it put the bytes into the caller's array. */
  static final byte[] TAKEN_INTO = new byte[0];

  /** Why a socket read made on the script's thread for this request failed, or null. */
  IOException directFailure;

  /** Whether this read can take its bytes from the socket itself ({@link #readDirect}). */
  boolean readsDirect() {
    return into != null;
  }

  /**
   * Script thread, under the inbound lock with nothing buffered: reads from the socket straight
   * into the caller's array. Returns what {@code channel.read} returned; on > 0 the read is done.
   */
  int readDirect(ConnectionChannel channel) throws IOException {
    // At most a segment's worth: the JDK reads a heap buffer through a direct one of its size,
    // which it keeps for the thread, and an up-to chunk may come short anyway.
    int n = channel.read(java.nio.ByteBuffer.wrap(into, intoOffset, Math.min(chunk().count(), SegmentPool.SIZE)));
    if (n > 0) {
      taken = n;
    }
    return n;
  }

  /** The caller's array as a buffer, for a TLS read that decrypts into it ({@link CallerTls}). */
  java.nio.ByteBuffer intoBuffer() {
    return java.nio.ByteBuffer.wrap(into, intoOffset, chunk().count());
  }

  /** {@code n} bytes were decrypted into the caller's array. */
  void tookInto(int n) {
    taken = n;
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

  /** Set by whoever answers the read first: its result, a failure, or its withdrawal. */
  private final java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
  /** The connection a blocking read was issued on, for {@link SocketCore#withdraw}. */
  volatile Connection on;

  boolean isAnswered() {
    return answered.get();
  }

  /** Under the inbound lock, by its interrupted caller: answered by nobody else from now on. */
  boolean withdraw() {
    return answer();
  }

  /** Claims the one answer this read gets (false if it was given already); it is no longer in flight. */
  private boolean answer() {
    if (!answered.compareAndSet(false, true)) {
      return false;
    }
    ended();
    return true;
  }

  /** A callback read whose answer {@code secure} took back: it waits again, counted by {@code queue}. */
  void reopen(ReadQueue queue) {
    answered.set(false);
    countedBy(queue);
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
    if (!answer()) {
      return;
    }
    if (result != null) {
      result.complete(data);
    } else {
      c.reads.deliver(c, this, callback, data); // (on the loop, under the inbound lock)
    }
  }

  /** The peer closed before the chunk was complete: hand over what did arrive. */
  void completeAtEof(Connection c, byte[] partial) {
    if (!answer()) {
      return;
    }
    if (result == null) {
      c.reads.deliver(c, this, callback, partial); // as any answer: secure may take it back
    } else if (chunk().kind() == Chunk.Kind.UNTIL_END) {
      result.complete(partial);
    } else {
      result.completeExceptionally(new SocketEofException(c.name, chunk(), partial, c.charset));
    }
  }

  /**
   * The TLS stream was cut where this read needed its end: a waiting script gets the truncation
   * with the bytes it had collected; a callback nothing (its listener gets the socketError).
   */
  void failTruncated(Connection c, byte[] partial, IOException truncation) {
    if (answer() && result != null) {
      result.completeExceptionally(Failures.truncated(truncation, partial, c.charset));
    }
  }

  /** The read cannot complete; a waiting script gets {@code failure}, a callback nothing. */
  void fail(IOException failure) {
    if (!answer()) {
      return;
    }
    if (result != null) {
      result.completeExceptionally(failure);
    }
  }
}
