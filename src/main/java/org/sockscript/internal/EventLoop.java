package org.sockscript.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that does all socket I/O of a registry: a {@link Selector}, a queue of tasks
 * handed in by other threads, and timers. Everything a {@link Connection} owns is touched only
 * here, so connections need no locks.
 */
public final class EventLoop implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

  /** What a registered channel does when it is ready. */
  public interface Handler {
    /** Called on the loop when the key's ready set is non-empty. */
    void ready(SelectionKey key);
  }

  /** A one-shot timer; cancel by setting {@link #cancelled}. */
  public static final class Timer implements Comparable<Timer> {
    final long deadline;
    final Runnable action;
    boolean cancelled;

    Timer(long deadline, Runnable action) {
      this.deadline = deadline;
      this.action = action;
    }

    /** Stops the timer from firing. Loop thread only. */
    public void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Timer o) {
      return Long.compare(deadline, o.deadline);
    }
  }

  private final Selector selector;
  private final Thread thread;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private volatile boolean running = true;
  /** Scratch space for socket reads, shared by every connection of this loop. */
  final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);

  public EventLoop(String name) {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Set on every loop thread: no call there may wait for the loop. */
  private static final ThreadLocal<Boolean> LOOP_THREAD = new ThreadLocal<>();

  /**
   * Throws if the caller is an I/O thread: a wait there would wait for itself. Listener calls run
   * there only when a registry asks for it ({@code ListenerThreads.IO_THREAD}).
   */
  static void refuseWaitOnLoop(String call) {
    if (onLoopThread()) {
      throw new IllegalStateException(call + " blocks, and this is the registry's I/O thread, which"
          + " runs listener calls here (ListenerThreads.IO_THREAD): waiting would stall every socket."
          + " Use the callback form (open(socket, listener), read(socket, chunk, callback), write(socket,"
          + " data, callback)), or leave the registry on ListenerThreads.POOL");
    }
  }

  /** Whether the caller is an I/O thread (of any registry). */
  static boolean onLoopThread() {
    return LOOP_THREAD.get() != null;
  }

  /** Whether the caller is the loop thread. */
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Runs {@code task} on the loop, soon. Safe from any thread. */
  public void execute(Runnable task) {
    add(task);
    if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
      selector.wakeup();
    }
  }

  /** As {@link #execute}, but a loop that has stopped drops {@code task} (bookkeeping for sockets it closed). */
  public void executeIfOpen(Runnable task) {
    try {
      execute(task);
    } catch (IllegalStateException stopped) {
      // the registry closed: its sockets are closed, nothing left to keep
    }
  }

  /** Runs {@code task} now if the caller is the loop thread, else as {@link #execute} does. */
  public void executeOrRun(Runnable task) {
    if (inLoop()) {
      task.run();
    } else {
      execute(task);
    }
  }

  /** Runs {@code task} on the loop and waits for it, at most {@code timeout}. Not on the loop. */
  public void runAndWait(Runnable task, long timeout, TimeUnit unit) {
    if (inLoop()) {
      task.run(); // waiting for itself would only time out
      return;
    }
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    execute(() -> {
      try {
        task.run();
      } finally {
        done.complete(null);
      }
    });
    try {
      done.get(timeout, unit);
    } catch (Exception e) {
      // the caller carries on regardless (shutdown)
    }
  }

  /**
   * Runs {@code task} on the loop when it next wakes up, without waking it: for bookkeeping that
   * can wait for the event the loop is waiting for anyway. Safe from any thread.
   */
  public void executeLazily(Runnable task) {
    add(task);
  }

  /**
   * Queues {@code task}, or throws if the loop has stopped. A task queued as it stops is either
   * taken back here (the caller hears "closed") or run by the loop's last drain: never dropped,
   * so no call waits for it forever.
   */
  private void add(Runnable task) {
    if (!running) {
      throw Failures.registryClosed();
    }
    tasks.add(task);
    if (!running && tasks.remove(task)) {
      throw Failures.registryClosed();
    }
  }

  /** Runs {@code action} on the loop after {@code delayNanos}. Loop thread only. */
  public Timer schedule(long delayNanos, Runnable action) {
    Timer timer = new Timer(System.nanoTime() + delayNanos, action);
    timers.add(timer);
    return timer;
  }

  /** Registers a channel with the selector. Loop thread only. */
  public SelectionKey register(SelectableChannel channel, int ops, Handler handler)
      throws IOException {
    return channel.register(selector, ops, handler);
  }

  private void run() {
    LOOP_THREAD.set(Boolean.TRUE);
    while (running) {
      try {
        long wait = runTimers();
        wakeupPending.set(false);
        if (!tasks.isEmpty()) {
          selector.selectNow();
        } else if (wait < 0) {
          selector.select();
        } else {
          selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
        }
        wakeupPending.set(true); // no need to wake a thread that is awake
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isValid()) {
            ready(key);
          }
        }
        selector.selectedKeys().clear();
        runTasks();
      } catch (ClosedSelectorException e) {
        break;
      } catch (Throwable t) {
        log.error("sockscript I/O loop: unexpected failure, carrying on", t);
      }
    }
    runTasks(); // queued as it stopped: the sockets are closed by now, so their calls get that answer
    if (closedFromInside) {
      closeSelector();
    }
  }

  /** close() was called by a task on this loop: the selector closes once the loop has stopped. */
  private volatile boolean closedFromInside;

  /**
   * One handler's turn. A failure is a bug, logged; it must not cost the other keys their turn,
   * nor the tasks theirs (a registry's close is a task: a listener failing on every wake-up
   * would starve it).
   */
  private static void ready(SelectionKey key) {
    try {
      ((Handler) key.attachment()).ready(key);
    } catch (ClosedSelectorException stopped) {
      throw stopped; // the loop itself is over
    } catch (RuntimeException | Error e) {
      log.error("sockscript I/O loop: {} failed, carrying on", key.attachment(), e);
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (Throwable t) {
        log.error("sockscript I/O loop: task failed", t);
      }
    }
  }

  /** Fires due timers; returns nanos until the next one, or -1 if none. */
  private long runTimers() {
    while (!timers.isEmpty()) {
      Timer next = timers.peek();
      if (next.cancelled) {
        timers.poll();
        continue;
      }
      long left = next.deadline - System.nanoTime();
      if (left > 0) {
        return left;
      }
      timers.poll();
      try {
        next.action.run();
      } catch (Throwable t) {
        log.error("sockscript I/O loop: timer failed", t);
      }
    }
    return -1;
  }

  /** Stops the loop and closes the selector; the caller has closed the channels already. */
  @Override
  public void close() {
    running = false;
    if (inLoop()) { // a listener call on this loop closed the registry: finish this pass first
      closedFromInside = true;
      return;
    }
    selector.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeSelector();
  }

  private void closeSelector() {
    try {
      selector.close();
    } catch (IOException e) {
      log.debug("closing selector", e);
    }
  }
}
