package org.sockscript.internal.trace;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.List;

/**
 * One connection's point of tracing. The socket's channel calls {@link #wire} for every chunk
 * read or written, the TLS stage {@link #application} for data it decrypted or is about to
 * encrypt. Each call first asks {@link #sink()}: one or two volatile reads, the whole cost of a
 * trace that is off. Events of one connection are made under its lock, so a loop thread and a
 * script thread reading the same socket never interleave a TLS record's description.
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
  private final TlsRecordScanner in = new TlsRecordScanner();
  private final TlsRecordScanner out = new TlsRecordScanner();

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

  /** {@code n} bytes crossed at {@code buffer}'s absolute index {@code at}. */
  public void wire(boolean outbound, ByteBuffer buffer, int at, int n) {
    TraceSink sink = sink();
    if (sink != null && n > 0) {
      emit(sink, outbound, TraceEvent.Kind.WIRE, copy(buffer, at, n));
    }
  }

  /** A gathering write took {@code n} bytes from {@code buffers}, which began at {@code at}. */
  public void wire(ByteBuffer[] buffers, int[] at, long n) {
    TraceSink sink = sink();
    if (sink == null || n <= 0) {
      return;
    }
    byte[] all = new byte[(int) n];
    int filled = 0;
    for (int i = 0; i < buffers.length && filled < n; i++) {
      int take = Math.min(buffers[i].position() - at[i], (int) n - filled);
      buffers[i].get(at[i], all, filled, take);
      filled += take;
    }
    emit(sink, true, TraceEvent.Kind.WIRE, all);
  }

  /** Before a gathering write: where each buffer starts, if traced (else null: nothing is copied). */
  public int[] positions(ByteBuffer[] buffers) {
    if (sink() == null) {
      return null;
    }
    int[] at = new int[buffers.length];
    for (int i = 0; i < buffers.length; i++) {
      at[i] = buffers[i].position();
    }
    return at;
  }

  /** Application data beside TLS: {@code n} bytes at {@code buffer}'s absolute index {@code at}. */
  public void application(boolean outbound, ByteBuffer buffer, int at, int n) {
    TraceSink sink = sink();
    if (sink != null && n > 0) {
      emit(sink, outbound, TraceEvent.Kind.APPLICATION, copy(buffer, at, n));
    }
  }

  private synchronized void emit(TraceSink sink, boolean outbound, TraceEvent.Kind kind, byte[] data) {
    List<String> records = kind == TraceEvent.Kind.WIRE ? (outbound ? out : in).scan(data, tlsStarted) : null;
    addresses();
    try {
      sink.chunk(new TraceEvent(epochNanos(), name, local, remote, accepted, outbound, kind, data, records, this));
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(WireTap.class).warn("sockscript: a trace sink threw; tracing goes on", e);
    }
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
