package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What only an interrupt does to a blocking call (what every way of ending a wait does, an
 * interrupt included, is in {@link AbandonedCallsTest}): it is not taken for another thread's
 * reason — a thread waiting on a socket that another thread's interrupted write closed hears why
 * the socket closed, not "interrupted" — and it does not end {@code secure}, which cannot be taken
 * back, but stays set for the caller.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InterruptedCallsTest {

  /**
   * Once asked for, an upgrade cannot be taken back (every later byte is TLS, both ways), so an
   * interrupt does not end {@code secure}: it waits for the upgrade to be set up (a step on the
   * I/O thread, not the handshake), returns, and leaves the interrupt status set.
   */
  @Test
  void anInterruptedSecureStillSetsUpTheUpgradeAndKeepsTheInterrupt() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      pair.accepted(name);
      Thread.currentThread().interrupt();
      try {
        pair.client.secure(name, false, null);
      } finally {
        assertThat(Thread.interrupted()).as("interrupt status after secure").isTrue();
      }
      assertThatThrownBy(() -> pair.client.secure(name, false, null))
          .as("a second secure: the first one is in force").isInstanceOf(IllegalStateException.class);
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
