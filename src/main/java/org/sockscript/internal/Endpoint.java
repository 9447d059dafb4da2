package org.sockscript.internal;

/** Something a registry holds under a name: a connection or a listening socket. */
public interface Endpoint {

  /** The name as created. */
  String name();

  /** Closes it at the script's request: queued writes are flushed, unread data discarded. */
  void closeByScript();

  /** Why a verb for connections (read, write, secure) cannot use it. */
  default String notAConnection() {
    return "\"" + name() + "\" is a listener (made by accept), not a connection";
  }
}
