package org.sockscript.socketio;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two threads of a session: a reader that waits on the WebSocket and answers pings, and an
 * event thread that runs handlers one at a time, in order — so a slow handler delays other
 * events but never the ping answers — and the ping watchdog. Both are daemons named after the socket.
 */
final class SessionThreads {

  private static final Logger log = LoggerFactory.getLogger(SocketIoClient.class);

  private final String socket;
  private final ScheduledExecutorService events;
  private ScheduledFuture<?> watchdog;

  SessionThreads(String socket) {
    this.socket = socket;
    this.events = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, "sockscript-socketio-events " + socket));
  }

  void startReader(Runnable loop) {
    daemon(loop, "sockscript-socketio-reader " + socket).start();
  }

  /** Runs {@code handler} on the event thread; an exception it throws is logged, not fatal. */
  void event(Runnable handler, String what) {
    try {
      events.execute(() -> {
        try {
          handler.run();
        } catch (RuntimeException | Error e) {
          log.warn("{}: the handler of \"{}\" threw; the session goes on", socket, what, e);
        }
      });
    } catch (RejectedExecutionException over) {
      log.debug("{}: \"{}\" arrived after the session ended; dropped", socket, what);
    }
  }

  /** Runs {@code check} after {@code millis} on the event thread, replacing the last such timer. */
  synchronized void watchdog(long millis, Runnable check) {
    if (watchdog != null) {
      watchdog.cancel(false);
    }
    try {
      watchdog = events.schedule(check, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException over) {
      watchdog = null; // the session has ended
    }
  }

  /** Lets the events already queued run, then ends the event thread. */
  synchronized void shutdownAfterEvents() {
    if (watchdog != null) {
      watchdog.cancel(false);
    }
    events.shutdown();
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
