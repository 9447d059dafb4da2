package org.sockscript.internal.trace;

/**
 * Where a wire trace goes: text lines, a pcapng file, a list for tests. Called from the I/O
 * thread and from script threads that read or write a plain socket themselves, so an
 * implementation is thread-safe; it must be quick, and must not throw (a trace never harms a socket).
 */
public interface TraceSink extends AutoCloseable {

  /** One chunk that crossed the wire, or application data beside a TLS stage. */
  void chunk(TraceEvent event);

  /** Flushes and releases what the sink holds (a file). */
  @Override
  default void close() {}
}
