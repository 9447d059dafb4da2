package org.sockscript;

/**
 * Where a registry runs listener calls and read/write callbacks. Set it with
 * {@link SocketRegistry#setListenerThreads}; it applies to sockets opened, and listeners started,
 * from then on (a listener started before keeps its threading for the connections it accepts).
 *
 * <pre>{@code
 * sockets.setListenerThreads(ListenerThreads.IO_THREAD); // handlers that never block
 * }</pre>
 */
public enum ListenerThreads {

  /**
   * The default, for scripts: calls run on pool threads, never on the I/O thread, one at a time
   * per listener, in order per socket. A blocking verb inside a call hands the listener's turn on
   * while it waits (as LiveCode's blocking {@code read} keeps messages flowing), so a handler
   * blocked on one connection never stalls the others, and code of one listener between two
   * blocking verbs never runs at the same time as other code of that listener: no locks needed.
   * Example: {@code sockets.setListenerThreads(ListenerThreads.POOL);}
   */
  POOL,

  /**
   * Calls run directly on the registry's I/O thread, without a thread hop (as gRPC's
   * {@code directExecutor()} and Netty's handlers do): the fastest callbacks, for handlers that
   * never block. A blocking verb called there throws {@link IllegalStateException} instead of
   * stalling every socket ({@code secure} and {@code accept} work: they set up at once); a
   * callback write is queued even over the write queue limit, so such handlers pace themselves
   * by their write callbacks. Example: {@code new SocketRegistry().setListenerThreads(ListenerThreads.IO_THREAD);}
   */
  IO_THREAD
}
