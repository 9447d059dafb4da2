package org.sockscript.internal.trace;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * A datagram socket's point of tracing: each datagram sent or received, whole, with its peer.
 * Datagram sockets follow the registry's trace of every socket; {@link #on()} is a volatile read.
 */
public final class DatagramTap {

  private final String name;
  private final TraceSwitch registry;

  public DatagramTap(String name, TraceSwitch registry) {
    this.name = name;
    this.registry = registry;
  }

  /** Whether datagrams are traced now: the whole cost when they are not. */
  public boolean on() {
    return registry.sink() != null;
  }

  /** {@code n} bytes at {@code data}'s absolute index {@code at} went to or came from {@code peer}. */
  public void datagram(boolean outbound, InetSocketAddress local, InetSocketAddress peer, ByteBuffer data, int at, int n) {
    TraceSink sink = registry.sink();
    if (sink == null) {
      return;
    }
    byte[] bytes = new byte[n];
    data.get(at, bytes, 0, n);
    Instant now = Instant.now();
    try {
      sink.chunk(new TraceEvent(now.getEpochSecond() * 1_000_000_000L + now.getNano(), name, local, peer, false,
          outbound, TraceEvent.Kind.DATAGRAM, bytes, null, null));
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(DatagramTap.class).warn("sockscript: a trace sink threw; tracing goes on", e);
    }
  }
}
