package org.sockscript.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.LeakCheck;
import org.sockscript.testing.TestPki;

/**
 * Open → write → secure → read → close, over and over, against a sockscript STARTTLS server; then
 * descriptors and threads must be back at their baseline and the heap bounded.
 *
 * <p>Bounded in count and in time: a run that the time bound cuts short fails, so a pass means
 * every cycle ran. The default run (CI) is the short form:
 * {@value #SHORT_CYCLES} cycles or {@value #SHORT_SECONDS} s. The full form runs on demand:
 * <pre>
 * mvn -B test -Dtest=SoakTest -Dsoak.cycles=20000 -Dsoak.seconds=60
 * </pre>
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SoakTest {

  static final int SHORT_CYCLES = 2000;
  static final int SHORT_SECONDS = 45;
  private static final int WORKERS = 4;
  private static final long HEAP_MARGIN = 64L * 1024 * 1024;
  private static final Duration SETTLE = Duration.ofSeconds(10);

  @Test
  void cyclesOfOpenWriteSecureReadCloseLeakNoDescriptorThreadOrHeap() throws Exception {
    int cycles = Integer.getInteger("soak.cycles", SHORT_CYCLES);
    Duration budget = Duration.ofSeconds(Integer.getInteger("soak.seconds", SHORT_SECONDS));
    warmUp();

    LeakCheck.Counts baseline = LeakCheck.snapshot();
    long heapBefore = usedHeapAfterGc();
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    LeakCheck.Counts whileOpen;
    int serverErrors;
    try (StartTlsEchoServer server = StartTlsEchoServer.start(); SocketRegistry client = client()) {
      LeakCheck.Counts registriesUp = LeakCheck.snapshot();
      run(client, server.port(), cycles, System.nanoTime() + budget.toNanos(), done);
      whileOpen = LeakCheck.awaitBackTo(registriesUp, SETTLE);
      System.out.printf("soak: with both registries still open: before the cycles %s, after %s%n",
          registriesUp, whileOpen);
      // Threads are compared after the close: idle callback threads may linger 30 s while a registry is open.
      assertThat(whileOpen.fds())
          .as("descriptors with the registries open, before %s and after %s cycles: %s; %s",
              registriesUp, done.get(), whileOpen, whileOpen.newSince(registriesUp))
          .isLessThanOrEqualTo(registriesUp.fds());
      serverErrors = server.errors();
      assertThat(serverErrors).as("server-side errors, last: %s", server.lastError()).isZero();
      assertThat(server.secured()).isEqualTo(done.get());
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    LeakCheck.Counts after = LeakCheck.awaitBackTo(baseline, SETTLE);
    long heapAfter = usedHeapAfterGc();
    System.out.printf("soak: %d of %d cycles in %d ms (%d workers); baseline %s, final %s;"
            + " used heap after GC %d KiB before, %d KiB after%n", done.get(), cycles, took.toMillis(),
        WORKERS, baseline, after, heapBefore / 1024, heapAfter / 1024);

    assertThat(done.get())
        .as("cycles completed within the %d s bound (a run cut short by the bound proves less than it claims)",
            budget.toSeconds())
        .isEqualTo(cycles);
    assertThat(LeakCheck.isBackTo(after, baseline))
        .as("descriptors and threads back to the baseline %s after %d cycles, were %s; %s", baseline,
            done.get(), after, after.newSince(baseline))
        .isTrue();
    assertThat(heapAfter).as("used heap after GC, baseline %d", heapBefore).isLessThan(heapBefore + HEAP_MARGIN);
  }

  /** WORKERS threads, each cycling on its own socket name, until the count or the deadline is reached. */
  private static void run(SocketRegistry client, int port, int cycles, long deadline, AtomicInteger done)
      throws Exception {
    AtomicInteger claimed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        String name = "127.0.0.1:" + port + "|soak-" + w;
        workers.add(pool.submit(() -> {
          for (int i; System.nanoTime() < deadline && (i = claimed.getAndIncrement()) < cycles; ) {
            cycle(client, name, i);
            done.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** One script: open, STARTTLS, secure (verifying), one encrypted line each way, close. */
  static void cycle(SocketRegistry client, String name, int i) throws Exception {
    client.open(name);
    client.write(name, "STARTTLS\r\n");
    assertThat(client.read(name, Chunk.until("\r\n"))).isEqualTo("220 go\r\n");
    client.secure(name, true, "localhost");
    client.write(name, "PING " + i + "\r\n");
    assertThat(client.read(name, Chunk.until("\r\n"))).isEqualTo("250 PING " + i + "\r\n");
    client.close(name);
  }

  private static SocketRegistry client() throws Exception {
    SocketRegistry client = new SocketRegistry();
    client.setSslCertificates(List.of(TestPki.get().rootPem()));
    return client;
  }

  /** A few cycles on throwaway registries: classes loaded, jars opened, JIT warm. */
  private static void warmUp() throws Exception {
    try (StartTlsEchoServer server = StartTlsEchoServer.start(); SocketRegistry client = client()) {
      run(client, server.port(), 200, System.nanoTime() + TimeUnit.SECONDS.toNanos(10), new AtomicInteger());
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
