package org.sockscript.internal.trace;

/** A registry's trace of every socket: the sink, or null when off. */
public final class TraceSwitch {

  private volatile TraceSink sink;

  /** Traces every socket of the registry to {@code sink}; null turns it off. */
  public void set(TraceSink to) {
    sink = to;
  }

  TraceSink sink() {
    return sink;
  }
}
