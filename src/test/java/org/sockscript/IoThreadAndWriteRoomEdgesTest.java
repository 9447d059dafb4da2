package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.Interrupting;
import org.sockscript.testing.TestIdentity;
import org.sockscript.testing.TestPki;

/**
 * Edges of {@link ListenerThreads#IO_THREAD} and of a writer waiting for room: writes issued
 * before a {@code secure} set up at once on the I/O thread still go out in plaintext; closing the
 * registry from a listener call there is prompt; a writer stopped while it waits for room (JShell's
 * Ctrl-C) gets its ThreadDeath and leaves the queue's lock usable.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class IoThreadAndWriteRoomEdgesTest {

  /**
   * IO_THREAD: secure runs inline (executeOrRun) but writes issued before it that could not go out
   * directly are still in the loop's task queue (loop.execute(enqueueWrite)); they are stamped
   * plaintext only when that task runs, after the upgrade, so they go out encrypted. DESIGN §4:
   * writes queued before secure go out in plaintext.
   */
  @Test
  void writesQueuedBeforeAnInlineSecureStillGoOutInPlaintext() throws Exception {
    try (SocketRegistry server = new SocketRegistry(); SocketRegistry client = new SocketRegistry()) {
      TestIdentity identity = TestPki.get().good();
      server.setServerIdentity(identity.chainPem(), identity.keyPem());
      server.setListenerThreads(ListenerThreads.IO_THREAD);
      client.setSslCertificates(List.of(TestPki.get().rootPem()));
      client.setInboundLimit(64 << 20);
      client.setSocketTimeoutInterval(Duration.ofSeconds(5));
      byte[] big = new byte[16 << 20]; // more than loopback takes at once: the rest is queued
      Arrays.fill(big, (byte) 'x');
      RecordingListener events = new RecordingListener() {
        @Override
        public void newConnection(String socket, String listener) {
          server.read(socket, Chunk.until("\r\n"), (s, command) -> {
            server.write(s, big, null);
            server.write(s, "\r\n220 go ahead\r\n", null); // plaintext, queued before secure
            try {
              server.secure(s);
            } catch (Exception e) {
              record("secure failed " + e);
            }
          });
        }
      };
      String name = "localhost:" + server.accept(0, events);
      client.open(name);
      client.write(name, "STARTTLS\r\n");
      assertThat(client.read(name, Chunk.until("\r\n")).length()).isEqualTo(big.length + 2);
      assertThat(client.read(name, Chunk.until("\r\n"))).isEqualTo("220 go ahead\r\n");
    }
  }

  /**
   * IO_THREAD: a listener call that closes the registry waits on the loop for the loop
   * (runAndWait twice, 5 s each, plus 2 s for the sockets to close): the loop stalls about 12 s.
   */
  @Test
  void closingTheRegistryFromAnIoThreadCallIsPrompt() throws Exception {
    try (SocketRegistry client = new SocketRegistry()) {
      SocketRegistry server = new SocketRegistry();
      server.setListenerThreads(ListenerThreads.IO_THREAD);
      AtomicLong took = new AtomicLong(-1);
      CountDownLatch closed = new CountDownLatch(1);
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      RecordingListener events = new RecordingListener() {
        @Override
        public void newConnection(String socket, String listener) {
          long start = System.nanoTime();
          try {
            server.close();
          } catch (Throwable t) {
            thrown.set(t);
          }
          took.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
          closed.countDown();
        }
      };
      String name = "127.0.0.1:" + server.accept(0, events);
      client.open(name);
      assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
      System.out.println("close() from an IO_THREAD listener call took " + took.get() + " ms, threw " + thrown.get());
      assertThat(took.get()).as("ms for close() from an IO_THREAD listener call").isLessThan(2000);
    }
  }

  /**
   * A writer waiting for room in WriteBudget (now a ReentrantLock condition) ended by Thread.stop:
   * AQS's await leaves without the lock, so reserveWaiting's unlock throws
   * IllegalMonitorStateException in place of ThreadDeath (a monitor's wait got the lock back).
   */
  @Test
  @SuppressWarnings({"deprecation", "removal"})
  void aWriterStoppedWhileWaitingForRoomThrowsThreadDeath() throws Exception {
    Assumptions.assumeTrue(Runtime.version().feature() < 20);
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      pair.accepted(name); // the server never reads
      byte[] big = new byte[32 << 20];
      pair.client.write(name, big, null); // direct, partly sent; the rest in flight
      pair.client.write(name, new byte[2 << 20], null); // counted in the budget: over the limit
      Throwable thrown = Interrupting.endWhileBlocked(
          () -> pair.client.write(name, "waits for room"), Thread::stop);
      assertThat(thrown).isInstanceOf(ThreadDeath.class);
    }
  }
}
