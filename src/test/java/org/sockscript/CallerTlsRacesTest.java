package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.IoThreadStall;

/**
 * What a script thread meets inside the TLS engine reaches the socket as if the I/O thread had met
 * it: a close during its write lets the write finish before the close_notify, a record it cannot
 * decrypt fails the socket with that reason (and the peer gets the alert) even with a write queued
 * behind, and a reset under its write fails that write. The peer is the JDK's TLS server; the
 * I/O thread is held busy where only the script's thread may move the bytes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallerTlsRacesTest extends CallerTlsFixture {

  @Test
  void aCloseWhileAScriptThreadEncryptsLetsItsWriteFinishBeforeTheCloseNotify() throws Exception {
    AtomicLong got = new AtomicLong();
    AtomicReference<String> end = new AtomicReference<>();
    CountDownLatch peerDone = new CountDownLatch(1);
    String name = serve((tls, tcp) -> {
      InputStream in = tls.getInputStream();
      byte[] buf = new byte[65536];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          got.addAndGet(n);
        }
        end.set("close_notify");
      } catch (IOException e) {
        end.set(e.toString());
      }
      peerDone.countDown();
    });
    client.openSecure(name, true, null);
    CountDownLatch inside = new CountDownLatch(1);
    AtomicInteger wraps = new AtomicInteger();
    engines.beforeWrap = () -> {
      if (Thread.currentThread().getName().equals("writer") && wraps.incrementAndGet() == 3) {
        inside.countDown();
        sleep(500); // the close comes meanwhile
      }
    };
    client.write(name, new byte[1]); // after the handshake's last records have gone: the next write is a direct one
    AtomicReference<Throwable> writeFailed = new AtomicReference<>();
    Thread writer = writeOnAnotherThread(name, 1 << 20, writeFailed);
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    client.close(name);
    writer.join(10_000);
    assertThat(peerDone.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(writeFailed.get()).as("the write began before the close").isNull();
    assertThat(got.get()).as("bytes before the end (" + end.get() + ")").isEqualTo(1 + (1 << 20));
    assertThat(end.get()).isEqualTo("close_notify");
  }

  @Test
  void aRecordAScriptThreadCannotDecryptFailsTheSocketWithThatReasonBeforeAQueuedWrite() throws Exception {
    client.setListenerThreads(ListenerThreads.IO_THREAD);
    AtomicReference<String> peerSaw = new AtomicReference<>("nothing");
    String name = serve((tls, tcp) -> {
      tls.getInputStream().read(new byte[2]);
      byte[] record = new byte[5 + 64]; // application data that no key decrypts
      new Random(1).nextBytes(record);
      System.arraycopy(new byte[] {0x17, 3, 3, 0, 64}, 0, record, 0, 5);
      tcp.getOutputStream().write(record);
      try {
        tls.getInputStream().transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        peerSaw.set(e.getMessage());
      }
    });
    client.openSecure(name, true, null);
    IoThreadStall.stall(client, 2500);
    client.write(name, "go");
    Thread.sleep(300); // the bad record waits in the kernel
    AtomicReference<Throwable> writeFailed = new AtomicReference<>();
    Thread writer = writeOnAnotherThread(name, 1 << 20, writeFailed);
    Thread.sleep(300);

    assertThatThrownBy(() -> client.readBytes(name, Chunk.bytes(10)))
        .isInstanceOf(SSLException.class).hasMessageContaining("BAD_DECRYPT");
    writer.join(10_000);
    assertThat(writeFailed.get()).isInstanceOf(IOException.class).hasMessageContaining("BAD_DECRYPT");
    Thread.sleep(300);
    assertThat(peerSaw.get()).contains("bad_record_mac");
  }

  @Test
  void aResetUnderAScriptThreadsWriteFailsThatWrite() throws Exception {
    client.setListenerThreads(ListenerThreads.IO_THREAD);
    CountDownLatch reset = new CountDownLatch(1);
    String name = serve((tls, tcp) -> {
      tls.getInputStream().read(new byte[2]);
      tcp.setSoLinger(true, 0);
      tcp.close();
      reset.countDown();
    });
    client.openSecure(name, true, null);
    IoThreadStall.stall(client, 2000);
    client.write(name, "go");
    assertThat(reset.await(5, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(200);

    assertThatThrownBy(() -> client.write(name, "hello")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> client.write(name, "again")).isInstanceOf(IOException.class);
  }

  // ---- helpers ------------------------------------------------------------------------------



  /** A blocking write of {@code n} bytes on a thread named "writer"; what it threw goes to {@code failed}. */
  private Thread writeOnAnotherThread(String name, int n, AtomicReference<Throwable> failed) {
    Thread writer = new Thread(() -> {
      try {
        client.write(name, new byte[n]);
      } catch (Throwable t) {
        failed.set(t);
      }
    }, "writer");
    writer.start();
    return writer;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
