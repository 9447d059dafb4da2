package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.LogCapture;
import org.sockscript.testing.IoThreadStall;

/**
 * TLS reads and writes on the script's own thread: a blocking read with nothing decrypted in hand
 * reads and decrypts there, a blocking write with nothing queued encrypts there (seen through
 * engines that note their threads), and the races this opens — a close or a secure from another
 * thread while a script thread is inside the engine, both directions at once — keep every byte
 * in order and every failure clean. The peer is the JDK's own TLS server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallerThreadTlsTest extends CallerTlsFixture {

  @Test
  void aBlockingReadAndWriteDoTheirTlsWorkOnTheCallingThreadAndIntoTheCallersArray() throws Exception {
    client.setListenerThreads(ListenerThreads.IO_THREAD);
    String name = serve((tls, tcp) -> { // answers "go" with 100,000 bytes
      tls.getInputStream().read(new byte[2]);
      tls.getOutputStream().write(pattern(100_000, 1));
      tls.getInputStream().read(); // until the client closes
    });
    client.openSecure(name, true, null);
    String me = Thread.currentThread().getName();
    IoThreadStall.stall(client, 1500); // from now on only this thread can move bytes
    client.write(name, "go");
    Thread.sleep(300); // the answer waits in the kernel
    byte[] into = new byte[64 * 1024];
    int first = client.readBytes(name, into, 0, into.length);
    byte[] rest = client.readBytes(name, Chunk.bytes(100_000 - first));

    byte[] got = Arrays.copyOf(into, 100_000);
    System.arraycopy(rest, 0, got, first, rest.length);
    assertThat(got).isEqualTo(pattern(100_000, 1));
    assertThat(engines.wrapThreads).contains(me);
    assertThat(engines.unwrapThreads).contains(me);
    synchronized (engines.unwrappedIntoArrays) {
      assertThat(engines.unwrappedIntoArrays).as("decrypted straight into the caller's array").contains(into);
    }
  }

  @Test
  void aCloseNotifyMetOnTheCallingThreadIsACleanEnd() throws Exception {
    client.setListenerThreads(ListenerThreads.IO_THREAD);
    String name = serve((tls, tcp) -> {
      tls.getInputStream().read(new byte[2]);
      tls.getOutputStream().write(pattern(50_000, 2));
      tls.close(); // close_notify, then FIN
    });
    client.openSecure(name, true, null);
    IoThreadStall.stall(client, 1000);
    client.write(name, "go");
    Thread.sleep(300);
    byte[] got = client.readBytes(name, Chunk.untilEnd());

    assertThat(got).isEqualTo(pattern(50_000, 2));
    assertThat(engines.unwrapThreads).contains(Thread.currentThread().getName());
  }

  @Test
  void aTruncationMetOnTheCallingThreadIsStillAnError() throws Exception {
    client.setListenerThreads(ListenerThreads.IO_THREAD);
    String name = serve((tls, tcp) -> {
      tls.getInputStream().read(new byte[2]);
      tls.getOutputStream().write(pattern(50_000, 3));
      tls.getOutputStream().flush();
      tcp.close(); // FIN without close_notify
    });
    client.openSecure(name, true, null);
    IoThreadStall.stall(client, 1000);
    client.write(name, "go");
    Thread.sleep(300);

    assertThatThrownBy(() -> client.readBytes(name, Chunk.untilEnd()))
        .isInstanceOf(SocketTruncatedException.class)
        .hasMessageContaining("without a TLS close_notify");
    assertThat(engines.unwrapThreads).contains(Thread.currentThread().getName());
  }

  @Test
  void bothDirectionsThroughTheEngineOnTwoThreadsKeepEveryByteInOrder() throws Exception {
    String name = serve((tls, tcp) -> tls.getInputStream().transferTo(tls.getOutputStream())); // echo
    client.openSecure(name, true, null);
    byte[] sent = pattern(8 << 20, 4);
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      Random sizes = new Random(5);
      try {
        for (int at = 0; at < sent.length; ) {
          int n = Math.min(1 + sizes.nextInt(64 * 1024), sent.length - at);
          client.write(name, sent, at, n);
          at += n;
        }
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    byte[] echoed = new byte[sent.length];
    for (int at = 0; at < echoed.length; ) {
      at += client.readBytes(name, echoed, at, Math.min(50_000, echoed.length - at));
    }
    writer.get(30, TimeUnit.SECONDS);

    assertThat(Arrays.equals(echoed, sent)).as("every byte echoed in order").isTrue();
    assertThat(engines.unwrapThreads).contains(Thread.currentThread().getName());
  }

  @Test
  void aCloseFromAnotherThreadWhileAReaderIsInsideTheEngineEndsTheReadCleanly() throws Exception {
    try (LogCapture log = LogCapture.start()) {
      // 20 rounds, and more (100 at most) until a reader has decrypted on its own thread: on a
      // busy machine the I/O thread may win every race of the first 20.
      for (int round = 0; round < 100 && (round < 20 || !aReaderDecrypted()); round++) {
        String name = serve((tls, tcp) -> {
          OutputStream out = tls.getOutputStream();
          byte[] block = pattern(16 * 1024, 6);
          for (int i = 0; i < 4096; i++) { // 64 MiB at most; ends when the client closes
            out.write(block);
          }
        });
        client.openSecure(name, true, null);
        AtomicReference<Throwable> ended = new AtomicReference<>();
        CountDownLatch reading = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
          byte[] buf = new byte[32 * 1024];
          try {
            while (true) {
              client.readBytes(name, buf, 0, buf.length);
              reading.countDown();
            }
          } catch (Throwable t) {
            ended.set(t);
          }
        }, "reader-" + round);
        reader.start();
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(round % 5); // close at different moments of the reader's work
        client.close(name);
        reader.join(10_000);

        assertThat(reader.isAlive()).as("reader ended").isFalse();
        assertThat(ended.get()).as("the read in flight fails, or the next is refused as closed")
            .satisfiesAnyOf(e -> assertThat(e).isInstanceOf(IOException.class),
                e -> assertThat(e).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("socket is not open"));
        assertThat(client.openSockets()).doesNotContain(name);
      }
      assertThat(log.problems()).as("nothing unexpected logged").isEmpty();
    }
    assertThat(aReaderDecrypted()).as("a reader thread decrypted (threads that did: %s)", engines.unwrapThreads)
        .isTrue();
  }

  private boolean aReaderDecrypted() {
    return engines.unwrapThreads.stream().anyMatch(t -> t.startsWith("reader-"));
  }

  @Test
  void aSecureFromAnotherThreadWhileAReaderIsInsideTheEngineIsRefusedAndChangesNothing() throws Exception {
    byte[] sent = pattern(4 << 20, 7);
    String name = serve((tls, tcp) -> {
      tls.getOutputStream().write(sent);
      tls.getInputStream().read(); // open until the client closes
    });
    client.openSecure(name, true, null);
    CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
      try {
        return client.readBytes(name, Chunk.bytes(sent.length));
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    for (int i = 0; i < 50 && !read.isDone(); i++) {
      assertThatThrownBy(() -> client.secure(name, true, null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already secure");
    }

    assertThat(Arrays.equals(read.get(30, TimeUnit.SECONDS), sent)).isTrue();
  }

  // ---- helpers ------------------------------------------------------------------------------




  private static byte[] pattern(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
