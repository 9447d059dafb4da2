package org.sockscript.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.LeakCheck;
import org.sockscript.testing.LineServer;

/**
 * {@code close} racing a writer, a reader and {@code secure} on other threads: every call returns
 * or throws soon after the close (well inside the socket timeout, so the close woke it), and what
 * it throws is an {@link IllegalStateException} or {@link IOException} naming the socket.
 * Bounded: {@value #ROUNDS} rounds or {@value #SECONDS} s.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CloseRaceTest {

  private static final int ROUNDS = 200;
  private static final int SECONDS = 20;
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(4);
  private static final Duration WOKEN_WITHIN = Duration.ofSeconds(2);

  /** What one racing thread ended with. */
  private record Outcome(String who, Throwable error, long endedNanos) {}

  @Test
  void closeRacingWriteReadAndSecureEndsEveryCallCleanly() throws Exception {
    FaultHarness.warmUpOnce();
    LeakCheck.Counts baseline = LeakCheck.snapshot();
    int rounds = 0;
    List<String> seen = new ArrayList<>();
    try (LineServer echo = LineServer.echo(); SocketRegistry sockets = new SocketRegistry()) {
      sockets.setSocketTimeoutInterval(SOCKET_TIMEOUT);
      Random random = new Random(6);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
      for (; rounds < ROUNDS && System.nanoTime() < deadline; rounds++) {
        String name = "127.0.0.1:" + echo.port() + "|race-" + rounds;
        sockets.open(name);
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> racers = new ArrayList<>(writerAndReader(sockets, name, go, outcomes));
        racers.add(
            racer("securer", go, outcomes, () -> {
              sleepMicros(random.nextInt(2000));
              sockets.secure(name, false, null);
              sockets.tlsInfo(name); // waits for the handshake, which the echo peer cannot complete
            }));
        go.countDown();
        sleepMicros(random.nextInt(3000));
        sockets.close(name);
        long closed = System.nanoTime();
        for (Thread racer : racers) {
          racer.join(SOCKET_TIMEOUT.toMillis() + 2000);
          assertThat(racer.isAlive()).as("round %d: %s still blocked %d ms after close, at%n%s", rounds,
              racer.getName(), (System.nanoTime() - closed) / 1_000_000, stack(racer)).isFalse();
        }
        for (Outcome o : outcomes) {
          assertThat(Duration.ofNanos(o.endedNanos() - closed))
              .as("round %d: %s ended %s after the close", rounds, o.who(), o.error())
              .isLessThan(WOKEN_WITHIN);
          if (o.error() != null) {
            assertThat(o.error()).as("round %d: %s", rounds, o.who())
                .isInstanceOfAny(IllegalStateException.class, IOException.class)
                .hasMessageContaining(name);
            seen.add(o.who() + ": " + o.error().getClass().getSimpleName() + ": "
                + o.error().getMessage().replace(name, "<name>"));
          }
        }
      }
      // The registry still serves after all that.
      String name = "127.0.0.1:" + echo.port() + "|after";
      sockets.open(name);
      sockets.write(name, "still fine\n");
      assertThat(sockets.read(name, Chunk.lines(1))).isEqualTo("still fine\n");
    }
    System.out.printf("CloseRaceTest: %d rounds; outcomes:%n", rounds);
    seen.stream().map(s -> s.replaceAll("\\d+", "N")).distinct().sorted()
        .forEach(s -> System.out.println("  " + s));
    LeakCheck.Counts after = LeakCheck.awaitBackTo(baseline, Duration.ofSeconds(10));
    assertThat(LeakCheck.isBackTo(after, baseline))
        .as("descriptors and threads back to %s, were %s; %s", baseline, after, after.newSince(baseline)).isTrue();
  }

  /**
   * The whole registry closed under a writer and a reader, at a random moment: both end soon, with
   * "the registry is closed" or the socket's failure, never waiting on a task the stopping loop
   * dropped. Bounded: {@value #ROUNDS} / 2 rounds or {@value #SECONDS} s.
   */
  @Test
  void registryCloseRacingBlockingCallsEndsEveryCall() throws Exception {
    int rounds = 0;
    try (LineServer echo = LineServer.echo()) {
      Random random = new Random(7);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
      for (; rounds < ROUNDS / 2 && System.nanoTime() < deadline; rounds++) {
        SocketRegistry sockets = new SocketRegistry();
        sockets.setSocketTimeoutInterval(SOCKET_TIMEOUT);
        String name = "127.0.0.1:" + echo.port();
        sockets.open(name);
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> racers = writerAndReader(sockets, name, go, outcomes);
        go.countDown();
        sleepMicros(random.nextInt(3000));
        sockets.close();
        long closed = System.nanoTime();
        for (Thread racer : racers) {
          racer.join(SOCKET_TIMEOUT.toMillis() + 2000);
          assertThat(racer.isAlive()).as("round %d: %s still blocked after the registry closed, at%n%s",
              rounds, racer.getName(), stack(racer)).isFalse();
        }
        for (Outcome o : outcomes) {
          assertThat(Duration.ofNanos(o.endedNanos() - closed)).as("round %d: %s ended %s", rounds, o.who(), o.error())
              .isLessThan(WOKEN_WITHIN);
          if (o.error() != null) {
            assertThat(o.error()).as("round %d: %s", rounds, o.who())
                .isInstanceOfAny(IllegalStateException.class, IOException.class);
          }
        }
      }
    }
    System.out.printf("CloseRaceTest: registry closed under calls, %d rounds%n", rounds);
  }

  /** A thread writing lines and one reading them, both started by {@code go}. */
  private static List<Thread> writerAndReader(SocketRegistry sockets, String name, CountDownLatch go,
      ConcurrentLinkedQueue<Outcome> outcomes) {
    return List.of(
        racer("writer", go, outcomes, () -> {
          for (int i = 0; i < 10_000; i++) {
            sockets.write(name, "line " + i + "\n");
          }
        }),
        racer("reader", go, outcomes, () -> {
          for (int i = 0; i < 10_000; i++) {
            sockets.read(name, Chunk.lines(1));
          }
        }));
  }

  private interface Body {
    void run() throws Exception;
  }

  private static Thread racer(String who, CountDownLatch go, ConcurrentLinkedQueue<Outcome> outcomes, Body body) {
    Thread t = new Thread(() -> {
      Throwable error = null;
      try {
        go.await();
        body.run();
      } catch (Throwable e) {
        error = e;
      }
      outcomes.add(new Outcome(who, error, System.nanoTime()));
    }, "close-race-" + who);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String stack(Thread t) {
    StringBuilder sb = new StringBuilder();
    for (StackTraceElement e : t.getStackTrace()) {
      sb.append("    ").append(e).append(System.lineSeparator());
    }
    return sb.toString();
  }

  private static void sleepMicros(int micros) {
    try {
      TimeUnit.MICROSECONDS.sleep(micros);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
