package org.sockscript.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.Interrupting;
import org.sockscript.Chunk;
import org.sockscript.RecordingListener;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
/**
 * What a withdrawn read (its caller was interrupted) leaves behind: nothing counted in flight,
 * the next read's timeout running from the withdrawal, a timer that meets the withdrawal cleanly,
 * and the caller's interrupt status whatever happens. (Most of these came from a review.)
 */
class WithdrawnReadTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final SocketCore core = new SocketCore();
  private final RecordingListener events = new RecordingListener();

  @AfterEach
  void tearDown() {
    core.close();
  }

  /** SocketRegistry.await, as the registry does it. */
  private byte[] await(String name, ReadRequest request, CompletableFuture<byte[]> result) throws IOException {
    long nudgeAfter = core.read(name, request) ? core.settings.timeout().toNanos() : Long.MAX_VALUE;
    return Waits.await(result, nudgeAfter, core::nudge, () -> core.withdraw(request));
  }

  /** A withdrawn read leaves nothing counted: the next read takes the fast path while the loop is held. */
  @Test
  void aWithdrawnReadIsNoLongerInFlight() throws Exception {
    try (OpenedPeer opened = OpenedPeer.open(core, events)) {
      String name = opened.name;
      Socket peer = opened.peer;
      // B's read (loop path behind nothing: queued by script), A's read behind it (loop path)
      CompletableFuture<byte[]> bResult = new CompletableFuture<>();
      ReadRequest b = ReadRequest.blocking(Chunk.lines(1), ISO_8859_1, bResult);
      core.read(name, b);
      Throwable aThrew = Interrupting.whileBlocked(() -> {
        CompletableFuture<byte[]> r = new CompletableFuture<>();
        await(name, ReadRequest.blocking(Chunk.lines(1), ISO_8859_1, r), r);
      });
      assertThat(aThrew).isInstanceOf(InterruptedIOException.class);
      OutputStream out = peer.getOutputStream();
      out.write("b\r\n".getBytes(ISO_8859_1));
      assertThat(Waits.await(bResult, WAIT.toNanos(), core::nudge)).asString(ISO_8859_1).isEqualTo("b\r\n");
      CountDownLatch release = LoopHold.hold(core);
      out.write("next\r\n".getBytes(ISO_8859_1));
      Thread.sleep(50);
      CompletableFuture<byte[]> next = new CompletableFuture<>();
      core.read(name, ReadRequest.blocking(Chunk.lines(1), ISO_8859_1, next));
      try {
        assertThat(next.get(2, TimeUnit.SECONDS)).asString(ISO_8859_1).isEqualTo("next\r\n");
      } finally {
        release.countDown();
      }
    }
  }

  /** The read behind a withdrawn head read times out one interval after the withdraw, not earlier, and does time out. */
  @Test
  void theReadBehindAWithdrawnHeadTimesOutFromTheWithdraw() throws Exception {
    core.timeout(Duration.ofMillis(1000));
    try (OpenedPeer opened = OpenedPeer.open(core, events)) {
      String name = opened.name;
      AtomicReference<Throwable> aThrew = new AtomicReference<>();
      Thread a = new Thread(() -> {
        try {
          CompletableFuture<byte[]> r = new CompletableFuture<>();
          await(name, ReadRequest.blocking(Chunk.lines(1), ISO_8859_1, r), r);
        } catch (Throwable e) {
          aThrew.set(e);
        }
      });
      a.start();
      Thread.sleep(100);
      CompletableFuture<byte[]> bResult = new CompletableFuture<>();
      ReadRequest b = ReadRequest.blocking(Chunk.lines(1), ISO_8859_1, bResult);
      core.read(name, b);
      Thread.sleep(700);
      long withdrawnAt = System.nanoTime();
      a.interrupt();
      a.join(5000);
      assertThat(aThrew.get()).isInstanceOf(InterruptedIOException.class);
      Throwable bThrew = catchThrowable(() -> Waits.await(bResult, WAIT.toNanos(), core::nudge));
      long after = (System.nanoTime() - withdrawnAt) / 1_000_000;
      assertThat(bThrew).isInstanceOf(java.net.SocketTimeoutException.class);
      assertThat(after).isBetween(900L, 3000L);
    }
  }

  /** Waits.await: if giveUp throws (the loop is closed: loop.execute throws), the interrupt is lost. */
  @Test
  void theInterruptStatusSurvivesAGiveUpThatThrows() {
    Thread.currentThread().interrupt();
    Throwable thrown = catchThrowable(() -> Waits.await(new CompletableFuture<Void>(), Long.MAX_VALUE, null, () -> {
      throw new IllegalStateException("the registry is closed");
    }));
    boolean flag = Thread.interrupted();
    assertThat(thrown).isInstanceOf(IllegalStateException.class);
    assertThat(flag).as("interrupt status after the call").isTrue();
  }

  /** The timer, meeting a head read withdrawn just before it took the lock, finds nothing to time out. */
  @Test
  void aTimerThatFindsTheHeadReadWithdrawnTimesNothingOut() throws Exception {
    try (OpenedPeer opened = OpenedPeer.open(core, events)) {
      String name = opened.name;
      Connection c = core.connection(name);
      ReadRequest blocking = ReadRequest.blocking(Chunk.lines(1), ISO_8859_1, new CompletableFuture<>());
      assertThat(core.read(name, blocking)).isTrue(); // queued by this thread
      CountDownLatch release = LoopHold.hold(core);
      try {
        assertThat(core.withdraw(blocking)).isTrue();
        assertThat(c.reads.timeOutHead(c, () -> true, 1)).as("no head left to time out").isNull();
      } finally {
        release.countDown();
      }
    }
  }
}
