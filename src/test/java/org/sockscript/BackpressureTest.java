package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.LineServer;

/** Writers to a peer that does not read are held back instead of filling the heap. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BackpressureTest {

  private static final int LIMIT = 64 * 1024;
  private static final byte[] CHUNK = new byte[16 * 1024];

  @Test
  void callbackWritesWaitOnceTheQueueIsFullAndTimeOutIfThePeerNeverReads() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (LineServer lazy = LineServer.start(s -> release.await(20, TimeUnit.SECONDS));
        SocketRegistry sockets = new SocketRegistry()) {
      sockets.setWriteQueueLimit(LIMIT);
      sockets.setSocketTimeoutInterval(Duration.ofMillis(700));
      String name = "localhost:" + lazy.port();
      sockets.open(name);
      long queued = 0;
      long start = System.nanoTime();
      // The kernel's socket buffers take a few MiB first; after that the queue fills and stays full.
      Throwable stopped = null;
      for (int i = 0; i < 4096 && stopped == null; i++) {
        try {
          sockets.write(name, CHUNK, null);
          queued += CHUNK.length;
        } catch (UncheckedIOException e) {
          stopped = e;
        }
      }
      release.countDown();
      assertThat(stopped).as("a writer must be stopped before 64 MiB are queued").isNotNull();
      assertThat(stopped.getCause()).isInstanceOf(SocketTimeoutException.class)
          .hasMessageStartingWith("timeout: " + name + " write queue stayed above 65536 bytes for 700 ms");
      assertThat(queued).isLessThan(4096L * CHUNK.length);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }
  }

  @Test
  void aBlockingWriteToAPeerThatNeverReadsTimesOutAndClosesTheSocket() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (LineServer lazy = LineServer.start(s -> release.await(20, TimeUnit.SECONDS));
        SocketRegistry sockets = new SocketRegistry()) {
      sockets.setSocketTimeoutInterval(Duration.ofMillis(700));
      String name = "localhost:" + lazy.port();
      sockets.open(name);
      byte[] big = new byte[64 * 1024 * 1024];
      assertThatThrownBy(() -> sockets.write(name, big))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessageStartingWith("timeout: the peer took no data for 700 ms writing to " + name);
      release.countDown();
      assertThat(sockets.openSockets()).doesNotContain(name);
    }
  }
}
