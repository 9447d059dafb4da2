package org.sockscript.internal.trace;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.List;

/**
 * One connection's point of tracing. While it is traced, the socket's channel reads and writes
 * through {@link #read} and {@link #write}, which record each chunk; the TLS stage calls
 * {@link #application} for the data it decrypted or is about to encrypt. The channel first asks
 * {@link #sink()}: two volatile reads when off (its own sink, then the registry's), the whole cost of a trace that is off.
 */
public final class WireTap {

  /** A tap that never traces, for stages not (yet) attached to a connection. */
  public static final WireTap OFF = new WireTap();

  private volatile TraceSink own;
  private TraceSwitch registry; // set before the connection is published to the loop
  private volatile boolean tlsStarted;
  private String name = "?";
  private boolean accepted;
  private SocketChannel channel;
  private InetSocketAddress local;
  private InetSocketAddress remote;
  // Made at the first traced chunk (under this tap's lock): an untraced socket carries neither.
  private TlsRecordScanner in;
  private TlsRecordScanner out;

  /** Names the connection; {@code registry} is its registry's trace of every socket. */
  public void identify(String socketName, boolean acceptedByListener, TraceSwitch registryTrace) {
    name = socketName;
    accepted = acceptedByListener;
    registry = registryTrace;
  }

  /** The channel, for the addresses of the events. */
  public void channel(SocketChannel ch) {
    channel = ch;
  }

  /** Traces this connection alone to {@code sink} (null: back to the registry's trace, if any). */
  public void own(TraceSink sink) {
    own = sink;
  }

  /** The connection has a TLS stage from now on: records are looked for. Returns this. */
  public WireTap tlsStarted() {
    tlsStarted = true;
    return this;
  }

  /** Where this connection's events go, or null when it is not traced. */
  public TraceSink sink() {
    TraceSink s = own;
    if (s != null) {
      return s;
    }
    TraceSwitch r = registry;
    return r == null ? null : r.sink();
  }

  /*
   * A traced socket reads and writes under this tap's lock, and records the chunk before letting
   * go: the loop and a script thread may both use the socket, and the trace must show the chunks
   * in the order they crossed (an echo's answer never before the write it answers).
   */

  /** Reads from {@code channel} into {@code into} and traces what came. */
  public synchronized int read(SocketChannel ch, ByteBuffer into) throws IOException {
    int at = into.position();
    int n = ch.read(into);
    trace(false, TraceEvent.Kind.WIRE, into, at, n);
    return n;
  }

  /** Writes {@code from} to {@code channel} and traces what went. */
  public synchronized int write(SocketChannel ch, ByteBuffer from) throws IOException {
    int at = from.position();
    int n = ch.write(from);
    trace(true, TraceEvent.Kind.WIRE, from, at, n);
    return n;
  }

  /** A gathering write, traced as one chunk. */
  public synchronized long write(SocketChannel ch, ByteBuffer[] from) throws IOException {
    int[] at = new int[from.length];
    for (int i = 0; i < from.length; i++) {
      at[i] = from[i].position();
    }
    long n = ch.write(from);
    TraceSink sink = sink();
    if (sink != null && n > 0) {
      byte[] all = new byte[(int) n];
      int filled = 0;
      for (int i = 0; i < from.length && filled < n; i++) {
        int take = Math.min(from[i].position() - at[i], (int) n - filled);
        from[i].get(at[i], all, filled, take);
        filled += take;
      }
      emit(sink, true, TraceEvent.Kind.WIRE, all);
    }
    return n;
  }

  /** Application data beside TLS: {@code n} bytes at {@code buffer}'s absolute index {@code at}. */
  public void application(boolean outbound, ByteBuffer buffer, int at, int n) {
    if (sink() != null) {
      trace(outbound, TraceEvent.Kind.APPLICATION, buffer, at, n);
    }
  }

  private synchronized void trace(boolean outbound, TraceEvent.Kind kind, ByteBuffer buffer, int at, int n) {
    TraceSink sink = sink();
    if (sink != null && n > 0) {
      emit(sink, outbound, kind, copy(buffer, at, n));
    }
  }

  private synchronized void emit(TraceSink sink, boolean outbound, TraceEvent.Kind kind, byte[] data) {
    List<String> records = kind == TraceEvent.Kind.WIRE ? scanner(outbound).scan(data, tlsStarted) : null;
    addresses();
    try {
      sink.chunk(new TraceEvent(epochNanos(), name, local, remote, accepted, outbound, kind, data, records, this));
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(WireTap.class).warn("sockscript: a trace sink threw; tracing goes on", e);
    }
  }

  private TlsRecordScanner scanner(boolean outbound) {
    if (outbound) {
      return out != null ? out : (out = new TlsRecordScanner());
    }
    return in != null ? in : (in = new TlsRecordScanner());
  }

  private void addresses() {
    if ((local == null || remote == null) && channel != null) {
      try {
        local = (InetSocketAddress) channel.getLocalAddress();
        remote = (InetSocketAddress) channel.getRemoteAddress();
      } catch (IOException e) {
        // closed meanwhile: the event goes without them
      }
    }
  }

  private static byte[] copy(ByteBuffer buffer, int at, int n) {
    byte[] data = new byte[n];
    buffer.get(at, data, 0, n);
    return data;
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
