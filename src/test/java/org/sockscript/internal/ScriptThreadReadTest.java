package org.sockscript.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.RecordingListener;

/**
 * A blocking read on a plain socket with nothing buffered reads the socket on the script's own
 * thread (see {@link ReadQueue#takeNowOrCount}). White-box: a loop timer holds the loop still, so
 * the bytes can only have come through that path; then the loop must carry on seamlessly, and a
 * reset met on the script's thread must be reported exactly as the loop would report it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ScriptThreadReadTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final SocketCore core = new SocketCore();
  private final RecordingListener events = new RecordingListener();

  @AfterEach
  void tearDown() {
    core.close();
  }

  @Test
  void aBlockingReadTakesBytesFromTheSocketWhileTheLoopIsBusyAndTheLoopCarriesOnInOrder() throws Exception {
    try (OpenedPeer opened = OpenedPeer.open(core, events)) {
      String name = opened.name;
      Socket peer = opened.peer;
      OutputStream out = peer.getOutputStream();
      CountDownLatch release = LoopHold.hold(core);
      out.write("one\r\ntwo".getBytes(ISO_8859_1));
      out.flush();
      Thread.sleep(50); // in our socket's receive queue, and the loop cannot take it
      CompletableFuture<byte[]> line = new CompletableFuture<>();
      assertThat(core.read(name, ReadRequest.blocking(Chunk.lines(1), ISO_8859_1, line))).isFalse();
      assertThat(line.get(2, TimeUnit.SECONDS)).asString(ISO_8859_1).isEqualTo("one\r\n"); // the loop is held
      byte[] into = new byte[2];
      CompletableFuture<byte[]> done = new CompletableFuture<>();
      ReadRequest some = ReadRequest.into(into, 0, 2, done);
      assertThat(core.read(name, some)).isFalse();
      assertThat(new String(into, 0, some.taken(), ISO_8859_1)).isEqualTo("tw".substring(0, some.taken()));
      release.countDown();
      out.write(", three\r\n".getBytes(ISO_8859_1));
      out.flush();
      String rest = new String(into, 0, some.taken(), ISO_8859_1) + readLine(name);
      assertThat(rest).isEqualTo("two, three\r\n");
    }
  }

  @Test
  void aResetMetByTheScriptsOwnReadIsReportedOnceAsTheLoopWould() throws Exception {
    try (OpenedPeer opened = OpenedPeer.open(core, events)) {
      String name = opened.name;
      Socket peer = opened.peer;
      CountDownLatch release = LoopHold.hold(core);
      peer.setSoLinger(true, 0);
      peer.close(); // RST
      Thread.sleep(50);
      CompletableFuture<byte[]> result = new CompletableFuture<>();
      boolean lazily = core.read(name, ReadRequest.blocking(Chunk.lines(1), ISO_8859_1, result));
      release.countDown();
      Throwable thrown = catchThrowable(() -> Waits.await(result, WAIT.toNanos(), core::nudge));
      assertThat(lazily).isFalse(); // a failed read goes to the loop, which reports it
      assertThat(thrown).isInstanceOf(IOException.class).hasMessageContaining("Connection reset");
      String error = events.awaitEvent("socketError " + name, WAIT);
      assertThat(error).isEqualTo("socketError " + name + ": " + thrown.getMessage());
      assertThat(events.events()).filteredOn(e -> e.startsWith("socket")).containsExactly(error);
    }
  }

  @Test
  void aReadThatFindsTheSocketEmptyLeavesNoSegmentBehind() throws Exception {
    try (OpenedPeer opened = OpenedPeer.open(core, events)) {
      String name = opened.name;
      Socket peer = opened.peer;
      peer.getOutputStream().write("x\n".getBytes(ISO_8859_1));
      assertThat(readLine(name)).isEqualTo("x\n"); // a segment was used, and given back
      int pooled = core.segments.pooled();
      CompletableFuture<byte[]> result = new CompletableFuture<>();
      boolean lazily = core.read(name, ReadRequest.blocking(Chunk.lines(1), ISO_8859_1, result));
      assertThat(lazily).isTrue(); // the socket had nothing: queued, waiting
      assertThat(core.segments.pooled()).as("segments idle in the pool").isEqualTo(pooled);
      peer.getOutputStream().write("y\n".getBytes(ISO_8859_1));
      assertThat(Waits.await(result, WAIT.toNanos(), core::nudge)).asString(ISO_8859_1).isEqualTo("y\n");
    }
  }

  /**
   * Rule 3 of {@code secure}: a read whose checks ran before {@code secure} (its thread was
   * descheduled in between) must not read the socket as plaintext once the upgrade is in place:
   * bytes injected after STARTTLS never reach the script. (Found in review.)
   */
  @Test
  void aReadWhoseChecksRanBeforeSecureMustNotReadTheSocketAsPlaintextAfterTheUpgrade() throws Exception {
    try (OpenedPeer opened = OpenedPeer.open(core, events)) {
      String name = opened.name;
      Socket peer = opened.peer;
      Connection c = core.connection(name);
      CompletableFuture<Void> secured = new CompletableFuture<>();
      core.secure(name, false, null, secured);
      secured.get(5, TimeUnit.SECONDS); // the upgrade is set up; rule 3 in force
      CountDownLatch release = LoopHold.hold(core);
      OutputStream out = peer.getOutputStream();
      out.write("INJECTED\r\n".getBytes(ISO_8859_1));
      out.flush();
      Thread.sleep(50);
      byte[] into = new byte[64];
      ReadRequest read = ReadRequest.into(into, 0, 64, new CompletableFuture<>());
      // the answers SocketCore.read gave before secure: plain, settled
      byte[] now = c.reads.takeNowOrCount(read, true, c, true, Math.min(core.settings.inboundLimit, ReadQueue.READ_AHEAD));
      release.countDown();
      assertThat(new String(into, 0, read.taken(), ISO_8859_1))
          .as("bytes read after secure, handed to the script as plaintext").isEmpty();
      assertThat(now).isNotSameAs(ReadRequest.TAKEN_INTO);
    }
  }

  /**
   * The JDK reads a heap buffer through a temporary direct buffer of its size, kept per thread:
   * a read into a huge array must not cost a huge direct buffer. (Found in review.)
   */
  @Test
  void aBigReadIntoAnArrayMustNotCostADirectBufferOfItsLength() throws Exception {
    try (OpenedPeer opened = OpenedPeer.open(core, events)) {
      String name = opened.name;
      Socket peer = opened.peer;
      CountDownLatch release = LoopHold.hold(core);
      peer.getOutputStream().write("ten bytes!".getBytes(ISO_8859_1));
      Thread.sleep(50);
      long before = directUsed();
      int len = 64 << 20;
      CompletableFuture<byte[]> done = new CompletableFuture<>();
      ReadRequest read = ReadRequest.into(new byte[len], 0, len, done);
      core.read(name, read);
      release.countDown();
      Waits.await(done, WAIT.toNanos(), core::nudge);
      assertThat(read.taken()).isEqualTo(10);
      assertThat(directUsed() - before).as("direct memory kept after a 10-byte read").isLessThan(1 << 20);
    }
  }

  private static long directUsed() {
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        return pool.getMemoryUsed();
      }
    }
    throw new AssertionError("no direct pool");
  }

  private String readLine(String name) throws IOException {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    core.read(name, ReadRequest.blocking(Chunk.lines(1), ISO_8859_1, result));
    return new String(Waits.await(result, WAIT.toNanos(), core::nudge), ISO_8859_1);
  }

}
