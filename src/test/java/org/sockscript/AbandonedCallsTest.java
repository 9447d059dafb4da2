package org.sockscript;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.Interrupting;
import org.sockscript.testing.SaturatedPool;
import org.sockscript.testing.SilentServer;
import org.sockscript.testing.UnacceptingServer;

/**
 * A blocking call whose caller stops waiting for a reason other than an interrupt — JShell's
 * stop (Ctrl-C) is a {@link ThreadDeath}; a worker of a saturated ForkJoinPool gets
 * {@link RejectedExecutionException} when it blocks — leaves behind what an interrupted one does:
 * a read is taken back, a write half sent closes its socket, an open closes and frees its name.
 * {@link SaturatedPool} ends a wait that way on every JDK; {@code Thread.stop} where the JDK still
 * has it (before 20).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AbandonedCallsTest {

  /** Well under the test timeout: a read left queued makes the next one fail with this, not hang. */
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(3);

  @Test
  @SuppressWarnings({"deprecation", "removal"})
  void readEndedByThreadDeathLeavesNoQueuedRead() throws Exception {
    assumeTrue(Runtime.version().feature() < 20, "Thread.stop throws UnsupportedOperationException from JDK 20 on;"
        + " readEndedByAnExceptionFromItsWaitLeavesNoQueuedRead covers the same path there");
    try (LoopbackPair pair = LoopbackPair.listening()) {
      pair.client.setSocketTimeoutInterval(SOCKET_TIMEOUT);
      String name = pair.connect("");
      String peer = pair.accepted(name);
      Throwable thrown = Interrupting.endWhileBlocked(() -> pair.client.read(name, Chunk.until("\r\n")), Thread::stop);
      assertThat(thrown).isInstanceOf(ThreadDeath.class);
      pair.server.write(peer, "one\r\n");
      assertThat(pair.client.read(name, Chunk.until("\r\n"))).as("the read after the stopped one").isEqualTo("one\r\n");
    }
  }

  @Test
  void readEndedByAnExceptionFromItsWaitLeavesNoQueuedRead() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      pair.client.setSocketTimeoutInterval(SOCKET_TIMEOUT);
      String name = pair.connect("");
      String peer = pair.accepted(name);
      Throwable thrown = SaturatedPool.run(() -> pair.client.read(name, Chunk.until("\r\n")));
      assertThat(thrown).isInstanceOf(RejectedExecutionException.class);
      pair.server.write(peer, "one\r\ntwo\r\n");
      assertThat(pair.client.read(name, Chunk.until("\r\n"))).isEqualTo("one\r\n");
      assertThat(pair.client.read(name, Chunk.until("\r\n"))).isEqualTo("two\r\n");
    }
  }

  @Test
  void readIntoEndedByAnExceptionNeverFillsItsArrayLater() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      pair.client.setSocketTimeoutInterval(SOCKET_TIMEOUT);
      String name = pair.connect("");
      String peer = pair.accepted(name);
      byte[] into = new byte[16];
      Arrays.fill(into, (byte) 'x');
      Throwable thrown = SaturatedPool.run(() -> pair.client.readBytes(name, into, 0, into.length));
      assertThat(thrown).isInstanceOf(RejectedExecutionException.class);
      pair.server.write(peer, "hello");
      byte[] next = new byte[16];
      int n = pair.client.readBytes(name, next, 0, next.length);
      assertThat(new String(next, 0, n, ISO_8859_1)).isEqualTo("hello");
      assertThat(new String(into, ISO_8859_1)).as("the ended call's array").isEqualTo("xxxxxxxxxxxxxxxx");
    }
  }

  @Test
  void writeEndedByAnExceptionClosesTheSocketAndNeverSendsTheReusedArray() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      String peer = pair.accepted(name);
      byte[] data = new byte[32 * 1024 * 1024]; // far more than loopback buffers: the write waits
      Arrays.fill(data, (byte) 'a');
      Throwable thrown = SaturatedPool.run(() -> pair.client.write(name, data, 0, data.length));
      assertThat(thrown).isInstanceOf(RejectedExecutionException.class);
      Arrays.fill(data, (byte) 'Z'); // the caller reuses its array
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

  /** The open threw, so nothing is open: the name is free for the script's next try. */
  @Test
  void openEndedByAnExceptionLeavesNoSocketAndFreesItsName() throws Exception {
    try (UnacceptingServer unaccepting = UnacceptingServer.start(); SocketRegistry sockets = new SocketRegistry()) {
      String name = "127.0.0.1:" + unaccepting.port();
      Throwable thrown = SaturatedPool.run(() -> sockets.open(name)); // the connect hangs: the open waits
      assertThat(thrown).isInstanceOf(RejectedExecutionException.class);
      assertThat(sockets.openSockets()).doesNotContain(name);
    }
  }

  @Test
  void anInterruptedOpenLeavesNoSocketAndFreesItsName() throws Exception {
    try (UnacceptingServer unaccepting = UnacceptingServer.start(); SocketRegistry sockets = new SocketRegistry()) {
      String name = "127.0.0.1:" + unaccepting.port();
      Throwable thrown = Interrupting.whileBlocked(() -> sockets.open(name));
      assertThat(thrown).isInstanceOf(InterruptedIOException.class);
      assertThat(sockets.openSockets()).doesNotContain(name);
    }
  }

  /** Mid-handshake: the connection is closed, and a second openSecure of the name connects again. */
  @Test
  void openSecureEndedByAnExceptionClosesTheConnectionAndFreesItsName() throws Exception {
    try (SilentServer silent = SilentServer.start(); SocketRegistry sockets = new SocketRegistry()) {
      String name = "127.0.0.1:" + silent.port();
      Throwable thrown = SaturatedPool.run(() -> sockets.openSecure(name, false, null)); // no ServerHello ever
      assertThat(thrown).isInstanceOf(RejectedExecutionException.class);
      assertThat(sockets.openSockets()).doesNotContain(name);
      assertThat(SaturatedPool.run(() -> sockets.openSecure(name, false, null)))
          .as("a second try of the name").isInstanceOf(RejectedExecutionException.class);
      assertThat(silent.awaitConnections(2, Duration.ofSeconds(5))).isTrue();
    }
  }

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

  /** Ended by a throwable instead, {@code secure} still leaves the upgrade in force. */
  @Test
  void secureEndedByAnExceptionLeavesTheUpgradeInForce() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      pair.accepted(name);
      Throwable thrown = SaturatedPool.run(() -> pair.client.secure(name, false, null));
      if (thrown != null) { // (unless the upgrade was set up before the wait began)
        assertThat(thrown).isInstanceOf(RejectedExecutionException.class);
      }
      assertThatThrownBy(() -> pair.client.secure(name, false, null))
          .as("a second secure: the first one is in force").isInstanceOf(IllegalStateException.class);
    }
  }
}
