package org.sockscript;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sockscript.testing.SilentServer;
import org.sockscript.testing.UnacceptingServer;
import org.sockscript.testing.WaitEnder;

/**
 * A blocking call whose caller stops waiting — however the wait is ended ({@link WaitEnder}: an
 * interrupt; an exception thrown by the wait itself, as a worker of a saturated ForkJoinPool gets;
 * {@code Thread.stop}, as JShell's stop does) — ends at once with that throwable, and nothing
 * happens on its behalf afterwards: a waiting read is taken back (the bytes that come later go
 * to the next read, never into the old caller's array); a write, which may be half sent, closes
 * its socket, so the caller's array, which it may now reuse, is never read again; an open closes
 * its connection and frees its name; a {@code secure} already asked for stays in force. What only
 * an interrupt does is in {@link InterruptedCallsTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AbandonedCallsTest {

  /** Well under the test timeout: a read left queued makes the next one fail with this, not hang. */
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(3);

  /** A connected client socket {@link #name} (in {@code pair.client}) and its server side {@link #peer}. */
  private LoopbackPair pair;
  private String name;
  private String peer;

  @BeforeEach
  void connect() throws Exception {
    pair = LoopbackPair.listening();
    name = pair.connect("");
    peer = pair.accepted(name);
  }

  @AfterEach
  void close() {
    pair.close();
  }

  @ParameterizedTest(name = "ended by {0}")
  @EnumSource(WaitEnder.class)
  void anEndedChunkReadIsTakenBackAndLosesNoBytes(WaitEnder ender) throws Exception {
    pair.client.setSocketTimeoutInterval(SOCKET_TIMEOUT);
    Throwable thrown = ender.end(() -> pair.client.read(name, Chunk.until("\r\n")));
    assertThat(thrown).isInstanceOf(ender.thrown());
    pair.server.write(peer, "one\r\ntwo\r\n");
    assertThat(pair.client.read(name, Chunk.until("\r\n"))).as("the read after the one ended by %s", ender)
        .isEqualTo("one\r\n");
    assertThat(pair.client.read(name, Chunk.until("\r\n"))).isEqualTo("two\r\n");
  }

  @ParameterizedTest(name = "ended by {0}")
  @EnumSource(WaitEnder.class)
  void anEndedReadIntoIsTakenBackNeverFillsItsArrayAndTheBytesGoToTheNextRead(WaitEnder ender) throws Exception {
    pair.client.setSocketTimeoutInterval(SOCKET_TIMEOUT);
    byte[] into = new byte[16];
    Arrays.fill(into, (byte) 'x');
    Throwable thrown = ender.end(() -> pair.client.readBytes(name, into, 0, into.length));
    assertThat(thrown).isInstanceOf(ender.thrown());
    pair.server.write(peer, "hello");
    byte[] next = new byte[16];
    int n = pair.client.readBytes(name, next, 0, next.length);
    assertThat(new String(next, 0, n, ISO_8859_1)).isEqualTo("hello");
    assertThat(new String(into, ISO_8859_1)).as("the array of the call ended by %s", ender)
        .isEqualTo("xxxxxxxxxxxxxxxx");
  }

  @ParameterizedTest(name = "ended by {0}")
  @EnumSource(WaitEnder.class)
  void anEndedWriteClosesTheSocketAndNeverSendsTheReusedArray(WaitEnder ender) throws Exception {
    byte[] data = new byte[32 * 1024 * 1024]; // far more than loopback buffers: the write waits
    Arrays.fill(data, (byte) 'a');
    Throwable thrown = ender.end(() -> pair.client.write(name, data, 0, data.length));
    assertThat(thrown).isInstanceOf(ender.thrown());
    if (ender == WaitEnder.INTERRUPT) { // the library's own exception (the others pass through): it says why
      assertThat(thrown).hasMessage(
          "interrupted while writing to " + name + ": the write may be half sent, so the socket is closed");
    }
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

  /** The open threw, so nothing is open: the name is free for the script's next try. */
  @ParameterizedTest(name = "ended by {0}")
  @EnumSource(WaitEnder.class)
  void anEndedOpenLeavesNoSocketAndFreesItsName(WaitEnder ender) throws Exception {
    try (UnacceptingServer unaccepting = UnacceptingServer.start(); SocketRegistry sockets = new SocketRegistry()) {
      String target = "127.0.0.1:" + unaccepting.port();
      Throwable thrown = ender.end(() -> sockets.open(target)); // the connect hangs: the open waits
      assertThat(thrown).isInstanceOf(ender.thrown());
      assertThat(sockets.openSockets()).doesNotContain(target);
    }
  }

  /** Mid-handshake: the connection is closed, and a second openSecure of the name connects again. */
  @ParameterizedTest(name = "ended by {0}")
  @EnumSource(WaitEnder.class)
  void anEndedOpenSecureClosesTheConnectionAndFreesItsName(WaitEnder ender) throws Exception {
    try (SilentServer silent = SilentServer.start(); SocketRegistry sockets = new SocketRegistry()) {
      String target = "127.0.0.1:" + silent.port();
      Throwable thrown = ender.end(() -> sockets.openSecure(target, false, null)); // no ServerHello ever
      assertThat(thrown).isInstanceOf(ender.thrown());
      assertThat(sockets.openSockets()).doesNotContain(target);
      assertThat(ender.end(() -> sockets.openSecure(target, false, null)))
          .as("a second try of the name").isInstanceOf(ender.thrown());
      assertThat(silent.awaitConnections(2, Duration.ofSeconds(5))).isTrue();
    }
  }

  /**
   * Ended by an exception from its wait, {@code secure} still leaves the upgrade in force. Only that
   * way ends its short wait at a known moment: an interrupt does not end {@code secure} at all
   * ({@link InterruptedCallsTest#anInterruptedSecureStillSetsUpTheUpgradeAndKeepsTheInterrupt}), and
   * {@code Thread.stop} comes after the call has returned.
   */
  @ParameterizedTest(name = "ended by {0}")
  @EnumSource(value = WaitEnder.class, names = "EXCEPTION_FROM_THE_WAIT")
  void aSecureEndedByAnExceptionFromItsWaitLeavesTheUpgradeInForce(WaitEnder ender) throws Exception {
    Throwable thrown = ender.end(() -> pair.client.secure(name, false, null));
    if (thrown != null) { // (unless the upgrade was set up before the wait began)
      assertThat(thrown).isInstanceOf(ender.thrown());
    }
    assertThatThrownBy(() -> pair.client.secure(name, false, null))
        .as("a second secure: the first one is in force").isInstanceOf(IllegalStateException.class);
  }
}
