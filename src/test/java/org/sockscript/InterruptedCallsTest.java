package org.sockscript;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.Interrupting;

/**
 * A thread interrupted in a blocking read or write: the call ends at once, and nothing happens on
 * its behalf afterwards. A waiting read is taken back (the bytes that come later go to the next
 * read, never into the old caller's array); a write, which may be half sent, closes the socket
 * so that the caller's array, which it may now reuse, is never read again.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InterruptedCallsTest {

  @Test
  void anInterruptedReadIntoIsTakenBackAndTheBytesGoToTheNextRead() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      String peer = pair.accepted(name);
      byte[] into = new byte[16];
      Arrays.fill(into, (byte) 'x');
      Throwable thrown = Interrupting.whileBlocked(() -> pair.client.readBytes(name, into, 0, into.length));
      assertThat(thrown).isInstanceOf(InterruptedIOException.class);
      pair.server.write(peer, "hello");
      byte[] next = new byte[16];
      int n = pair.client.readBytes(name, next, 0, next.length);
      assertThat(new String(next, 0, n, ISO_8859_1)).isEqualTo("hello");
      assertThat(new String(into, ISO_8859_1)).as("the interrupted call's array").isEqualTo("xxxxxxxxxxxxxxxx");
    }
  }

  @Test
  void anInterruptedChunkReadIsTakenBackAndLosesNoBytes() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      String peer = pair.accepted(name);
      Throwable thrown = Interrupting.whileBlocked(() -> pair.client.read(name, Chunk.until("\r\n")));
      assertThat(thrown).isInstanceOf(InterruptedIOException.class);
      pair.server.write(peer, "one\r\ntwo\r\n");
      assertThat(pair.client.read(name, Chunk.until("\r\n"))).isEqualTo("one\r\n");
      assertThat(pair.client.read(name, Chunk.until("\r\n"))).isEqualTo("two\r\n");
    }
  }

  @Test
  void anInterruptedWriteClosesTheSocketAndNeverSendsTheReusedArray() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      String peer = pair.accepted(name);
      byte[] data = new byte[32 * 1024 * 1024]; // far more than loopback buffers: the write waits
      Arrays.fill(data, (byte) 'a');
      Throwable thrown = Interrupting.whileBlocked(() -> pair.client.write(name, data, 0, data.length));
      assertThat(thrown).isInstanceOf(InterruptedIOException.class)
          .hasMessage("interrupted while writing to " + name + ": the write may be half sent, so the socket is closed");
      Arrays.fill(data, (byte) 'Z'); // the caller reuses its array, as BufferedOutputStream does
      assertThat(pair.client.openSockets()).doesNotContain(name);
      byte[] got = pair.server.readBytes(peer, Chunk.untilEnd());
      assertThat(got.length).isLessThan(data.length);
      int z = 0;
      for (byte b : got) {
        z += b == 'Z' ? 1 : 0;
      }
      assertThat(z).as("bytes from the array after write threw").isZero();
    }
  }

  /** Thread B waits in a read while thread A's write is interrupted: B hears why the socket closed, not "interrupted". */
  @Test
  void aReaderThatWasNotInterruptedDoesNotGetInterruptedIOException() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      pair.accepted(name);
      AtomicReference<Throwable> bThrew = new AtomicReference<>();
      AtomicReference<Boolean> bFlag = new AtomicReference<>();
      Thread b = new Thread(() -> {
        try {
          pair.client.read(name, Chunk.lines(1));
        } catch (Throwable e) {
          bThrew.set(e);
        } finally {
          bFlag.set(Thread.currentThread().isInterrupted());
        }
      });
      b.start();
      Thread.sleep(200);
      byte[] data = new byte[32 << 20];
      Thread a = new Thread(() -> {
        try {
          pair.client.write(name, data, 0, data.length);
        } catch (Exception e) {
          // expected
        }
      });
      a.start();
      Thread.sleep(300);
      a.interrupt();
      a.join(5000);
      b.join(5000);
      assertThat(bFlag.get()).isFalse();
      assertThat(bThrew.get()).as("thread B, never interrupted").isNotInstanceOf(InterruptedIOException.class)
          .isInstanceOf(java.io.IOException.class)
          .hasMessage(name + " was closed: a write to it was interrupted and may be half sent");
    }
  }
}
