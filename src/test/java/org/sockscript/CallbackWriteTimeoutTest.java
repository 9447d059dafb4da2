package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.LineServer;
import org.sockscript.testing.TestPki;
import org.sockscript.testing.TlsPeers;

/**
 * DESIGN §3: a callback write that makes no progress for the socket timeout interval gets a
 * {@code socketTimeout} event. Unlike a blocking write (which fails and closes the socket, see
 * {@link BackpressureTest}), the socket stays open and the queued writes go out once the peer
 * reads again.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CallbackWriteTimeoutTest {

  private static final Duration TIMEOUT = Duration.ofMillis(400);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final byte[] CHUNK = new byte[16 * 1024];
  /** The write queue limit; the test keeps at most half of it queued, so no writer ever waits. */
  private static final int LIMIT = 256 * 1024;
  /** 64 MiB: far more than loopback buffers hold (a few MiB), so the writes must stall before. */
  private static final int MAX_WRITES = 4096;

  @Test
  void aCallbackWriteToAPeerThatStopsReadingGetsSocketTimeoutAndStaysQueued() throws Exception {
    CountDownLatch startReading = new CountDownLatch(1);
    CompletableFuture<Long> received = new CompletableFuture<>();
    try (LineServer stalled = LineServer.start(s -> {
          startReading.await(20, TimeUnit.SECONDS); // accepted, but reads nothing until told
          received.complete(drain(s.getInputStream()));
        });
        SocketRegistry sockets = registry()) {
      WriteListener events = new WriteListener();
      String name = "127.0.0.1:" + stalled.port();
      sockets.open(name, events);
      events.awaitEvent("connected " + name, WAIT);
      stallThenResume(sockets, name, events, startReading, received);
    }
  }

  /** The same through the TLS stage: records queued behind a peer that stopped reading. */
  @Test
  void aCallbackWriteOnASecureSocketToAPeerThatStopsReadingGetsSocketTimeout() throws Exception {
    CountDownLatch startReading = new CountDownLatch(1);
    CompletableFuture<Long> received = new CompletableFuture<>();
    SSLContext jdk = TlsPeers.jdkContext(TestPki.get().good(), TestPki.get());
    try (LineServer stalled = LineServer.start(s -> {
          SSLSocket tls = (SSLSocket) jdk.getSocketFactory().createSocket(s, null, true);
          tls.startHandshake();
          startReading.await(20, TimeUnit.SECONDS); // secured, but reads nothing until told
          received.complete(drain(tls.getInputStream()));
        });
        SocketRegistry sockets = registry()) {
      sockets.setSslCertificates(List.of(TestPki.get().rootPem()));
      WriteListener events = new WriteListener();
      String name = "localhost:" + stalled.port();
      sockets.openSecure(name, true, null, events);
      events.awaitEvent("connected " + name, WAIT);
      stallThenResume(sockets, name, events, startReading, received);
    }
  }

  private static SocketRegistry registry() {
    SocketRegistry sockets = new SocketRegistry();
    sockets.setWriteQueueLimit(LIMIT);
    return sockets;
  }

  /**
   * Fills the kernel's buffers with callback writes (their size is the OS's business), keeping
   * half the queue limit in flight, until the writes stop completing and socketTimeout comes;
   * checks the socket is still open; lets the peer read and checks every byte arrives.
   */
  private static void stallThenResume(SocketRegistry sockets, String name, WriteListener events,
      CountDownLatch startReading, CompletableFuture<Long> received) throws Exception {
    sockets.setSocketTimeoutInterval(TIMEOUT); // short only now: a JVM's first handshake may be slow
    int issued = 0;
    while (!events.timedOut() && issued < MAX_WRITES) {
      int written = events.written();
      if ((long) (issued - written) * CHUNK.length < LIMIT / 2) {
        sockets.write(name, CHUNK, events.writeRecorder());
        issued++;
      } else {
        events.awaitWrittenOrTimeout(written + 1, WAIT);
      }
    }
    assertThat(events.timedOut()).as("socketTimeout after %d writes of %d bytes", issued, CHUNK.length).isTrue();
    assertThat(events.awaitEvent("socketTimeout ", Duration.ZERO)).isEqualTo("socketTimeout " + name);
    assertThat(events.written()).as("writes stuck behind the full buffers").isLessThan(issued);
    assertThat(events.stallBeforeTimeout()).as("time from the last completed write to socketTimeout")
        .isGreaterThanOrEqualTo(TIMEOUT.dividedBy(2));
    assertThat(sockets.openSockets()).containsExactly(name);
    assertThat(events.events()).noneMatch(e -> e.startsWith("socketError") || e.startsWith("socketClosed"));

    startReading.countDown(); // the peer reads again: every queued write completes
    events.awaitEvents("written " + name, issued, WAIT);
    sockets.close(name);
    assertThat(received.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo((long) issued * CHUNK.length);
  }

  private static long drain(InputStream in) throws Exception {
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = in.read(buf)) >= 0; ) {
      total += n;
    }
    return total;
  }

  /** Counts completed writes and notes when the last one completed and when socketTimeout came. */
  private static final class WriteListener extends RecordingListener {
    private long lastWrittenNanos = System.nanoTime();
    private long timeoutNanos;

    @Override
    protected synchronized void record(String event) {
      long now = System.nanoTime();
      if (event.startsWith("written ")) {
        lastWrittenNanos = now;
      } else if (event.startsWith("socketTimeout ") && timeoutNanos == 0) {
        timeoutNanos = now;
      }
      super.record(event);
    }

    synchronized int written() {
      return (int) events().stream().filter(e -> e.startsWith("written ")).count();
    }

    synchronized boolean timedOut() {
      return timeoutNanos != 0;
    }

    synchronized Duration stallBeforeTimeout() {
      return Duration.ofNanos(timeoutNanos - lastWrittenNanos);
    }

    /** Waits until {@code count} writes have completed or socketTimeout came; fails after {@code max}. */
    synchronized void awaitWrittenOrTimeout(int count, Duration max) throws InterruptedException {
      long deadline = System.nanoTime() + max.toNanos();
      while (written() < count && !timedOut()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("neither a write completed nor socketTimeout came within " + max
              + "; events: " + events().size());
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }
}
