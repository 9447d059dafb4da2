package org.sockscript;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SocketListener} that records every event, in arrival order, as one line of text:
 *
 * <pre>
 * connected h:1
 * newConnection 127.0.0.1:51234 8080      (socket, then the listener's name)
 * socketError h:1: reason
 * socketClosed h:1
 * socketTimeout h:1
 * secured h:1 TLSv1.3
 * read h:1: data                          (from {@link #readRecorder()})
 * written h:1                             (from {@link #writeRecorder()})
 * </pre>
 *
 * <p>Thread-safe; tests wait for events with {@link #awaitEvent} instead of sleeping.
 */
public class RecordingListener implements SocketListener {

  private final List<String> events = new ArrayList<>();

  @Override
  public void connected(String socket) {
    record("connected " + socket);
  }

  @Override
  public void newConnection(String socket, String listenerName) {
    record("newConnection " + socket + " " + listenerName);
  }

  @Override
  public void socketError(String socket, String reason) {
    record("socketError " + socket + ": " + reason);
  }

  @Override
  public void socketClosed(String socket) {
    record("socketClosed " + socket);
  }

  @Override
  public void socketTimeout(String socket) {
    record("socketTimeout " + socket);
  }

  @Override
  public void secured(String socket, TlsInfo info) {
    record("secured " + socket + " " + info.protocol());
  }

  /** A read callback that records {@code "read <socket>: <data>"} in the same event list. */
  public ReadCallback readRecorder() {
    return (socket, data) -> record("read " + socket + ": " + data);
  }

  /** A write callback that records {@code "written <socket>"} in the same event list. */
  public WriteCallback writeRecorder() {
    return socket -> record("written " + socket);
  }

  /** Appends one event line and wakes the waiters. */
  protected synchronized void record(String event) {
    events.add(event);
    notifyAll();
  }

  /** A snapshot of every event so far, in arrival order. */
  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  /** The first event starting with {@code prefix}, waiting at most {@code timeout}; fails the test if none. */
  public String awaitEvent(String prefix, Duration timeout) throws InterruptedException {
    return eventWithin(prefix, timeout).orElseThrow(() -> new AssertionError(
        "no event starting with \"" + prefix + "\" within " + timeout.toMillis() + " ms; events: " + events()));
  }

  /** The first {@code count} events starting with {@code prefix}, waiting at most {@code timeout}. */
  public synchronized List<String> awaitEvents(String prefix, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (matching(prefix).size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("expected " + count + " events starting with \"" + prefix + "\" within "
            + timeout.toMillis() + " ms, saw " + matching(prefix).size() + "; events: " + events);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return matching(prefix).subList(0, count);
  }

  /** The first event starting with {@code prefix}, or empty if none arrived within {@code timeout}. */
  public synchronized Optional<String> eventWithin(String prefix, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (matching(prefix).isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return Optional.of(matching(prefix).get(0));
  }

  private List<String> matching(String prefix) {
    return events.stream().filter(e -> e.startsWith(prefix)).toList();
  }
}
