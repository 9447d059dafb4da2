package org.sockscript.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sockscript.SocketListener;
import org.sockscript.TlsInfo;
import org.sockscript.WriteCallback;

/**
 * Where one socket's events and callbacks go: the listener that opened or accepted it, through
 * that listener's {@link SerialExecutor} (its turn, on pool threads), or, for a registry on
 * {@code ListenerThreads.IO_THREAD}, the loop itself, after what it is doing. Never inside the
 * loop's own work: a call runs outside every lock the loop holds.
 */
public final class EventSink {

  private static final Logger log = LoggerFactory.getLogger(EventSink.class);

  private final SocketListener listener;
  private final java.util.concurrent.Executor executor;

  public EventSink(SocketListener listener, java.util.concurrent.Executor executor) {
    this.listener = listener;
    this.executor = executor;
  }

  void connected(String socket) {
    fire(socket, "connected", l -> l.connected(socket));
  }

  void newConnection(String socket, String listenerName) {
    fire(socket, "newConnection", l -> l.newConnection(socket, listenerName));
  }

  void socketError(String socket, String reason) {
    if (listener == null) {
      log.info("{}: socketError: {}", socket, reason);
    }
    fire(socket, "socketError", l -> l.socketError(socket, reason));
  }

  /** socketClosed; {@code then} (may be null) runs once the listener has had it, thrown or not. */
  void socketClosed(String socket, Runnable then) {
    if (listener == null) {
      log.debug("{}: socketClosed (no listener)", socket);
      if (then != null) {
        then.run();
      }
      return;
    }
    executor.execute(() -> {
      try {
        listener.socketClosed(socket);
      } finally {
        if (then != null) {
          then.run();
        }
      }
    });
  }

  void socketTimeout(String socket) {
    fire(socket, "socketTimeout", l -> l.socketTimeout(socket));
  }

  void secured(String socket, TlsInfo info) {
    fire(socket, "secured", l -> l.secured(socket, info));
  }

  /** A callback read's answer (see {@link Delivery}), on the listener's turn. */
  void deliver(Delivery delivery) {
    executor.execute(delivery);
  }

  void written(WriteCallback callback, String socket) {
    executor.execute(() -> callback.written(socket));
  }

  private void fire(String socket, String event, java.util.function.Consumer<SocketListener> call) {
    if (listener == null) {
      log.debug("{}: {} (no listener)", socket, event);
      return;
    }
    executor.execute(() -> call.accept(listener));
  }
}
