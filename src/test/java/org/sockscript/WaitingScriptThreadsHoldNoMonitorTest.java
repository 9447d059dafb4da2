package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.IoThreadStall;

/**
 * A script thread that has to wait for another thread holds no monitor while it waits: a virtual
 * thread that parks inside {@code synchronized} pins its carrier on JDK 21 to 23 (JDK 24 and later
 * unmount it anyway, so {@link VirtualThreadsTest} on the newest JDK cannot see this). Seen through
 * the JDK's own view of a waiting platform thread: the monitors it holds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WaitingScriptThreadsHoldNoMonitorTest extends CallerTlsFixture {

  @Test
  void aWriterWaitingForTheTlsEngineHoldsNoMonitor() throws Exception {
    client.setListenerThreads(ListenerThreads.IO_THREAD);
    String name = serve((tls, tcp) -> { // answers "go" with 1,000 bytes, then reads to the end
      InputStream in = tls.getInputStream();
      in.read(new byte[2]);
      tls.getOutputStream().write(new byte[1000]);
      byte[] sink = new byte[4096];
      while (in.read(sink) > 0) {
        // until the client closes
      }
    });
    client.openSecure(name, true, null);
    IoThreadStall.stall(client, 4000); // only script threads move bytes meanwhile
    client.write(name, "go");
    Thread.sleep(300); // the answer waits in the kernel
    CountDownLatch readerInside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    engines.beforeUnwrap = () -> {
      if (Thread.currentThread().getName().equals("reader")) {
        readerInside.countDown(); // the reader holds the TLS engine now
        awaitQuietly(release);
      }
    };
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread reader = scriptThread("reader", () -> client.readBytes(name, Chunk.bytes(1000)), failed);
    assertThat(readerInside.await(5, TimeUnit.SECONDS)).as("the reader decrypts on its own thread").isTrue();
    Thread writer = scriptThread("writer", () -> client.write(name, "hello"), failed);

    ThreadInfo waiting = waitingForTheEngine(writer);
    release.countDown();
    reader.join(10_000);
    writer.join(10_000);

    assertThat(failed.get()).isNull();
    assertThat(waiting.getLockedMonitors())
        .as("monitors held by a writer waiting for the TLS engine:\n%s", waiting)
        .isEmpty();
  }

  /** The writer's state once it waits inside the TLS stage's lock (fails if it never does). */
  private static ThreadInfo waitingForTheEngine(Thread writer) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    ThreadInfo info = null;
    while (System.nanoTime() < deadline) {
      info = ManagementFactory.getThreadMXBean().getThreadInfo(new long[] {writer.getId()}, true, true)[0];
      if (info != null && info.getThreadState() == Thread.State.WAITING && Arrays.stream(info.getStackTrace())
          .anyMatch(f -> f.getClassName().endsWith(".TlsStage") && f.getMethodName().equals("enter"))) {
        return info;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the writer never waited for the TLS engine; last seen:\n" + info);
  }

  private static Thread scriptThread(String name, Verb verb, AtomicReference<Throwable> failed) {
    Thread t = new Thread(() -> {
      try {
        verb.run();
      } catch (Throwable e) {
        failed.set(e);
      }
    }, name);
    t.start();
    return t;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private interface Verb {
    void run() throws Exception;
  }
}
