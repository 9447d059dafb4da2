package org.sockscript.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;

/**
 * Reading pauses once 1 MiB sits unread. Two script threads then take from the buffer on their
 * fast path, one right after the other: whichever take crossed the pause must wake the loop, so a
 * later read that waits for more data gets it instead of timing out (the decision is made under
 * the buffer's lock, at the take, not from the size afterwards, which both threads would see
 * below the pause).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PausedReadingResumesTest {

  @Test
  void aReadAfterTwoFastTakesFromAPausedSocketIsServed() throws Exception {
    SocketCore core = new SocketCore();
    core.timeout(Duration.ofSeconds(3));
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String name = "127.0.0.1:" + server.getLocalPort();
      CompletableFuture<Void> opened = new CompletableFuture<>();
      core.open(name, null, false, true, null, opened);
      Socket peer = server.accept();
      Waits.await(opened);
      Thread writer = new Thread(() -> {
        try {
          peer.getOutputStream().write(new byte[8 * 1024 * 1024]);
        } catch (Exception e) {
          // closed at the end
        }
      });
      writer.setDaemon(true);
      writer.start();
      Connection c = core.connection(name);
      int pause = ReadQueue.READ_AHEAD;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!(c.reads.inbound.size() >= pause && c.channel.interest() == 0)) {
        assertThat(System.nanoTime()).as("reading pauses at 1 MiB unread").isLessThan(deadline);
        Thread.sleep(5);
      }
      int k = c.reads.inbound.size() - pause + 50_000; // each take alone leaves less than the pause
      ReadRequest a = ReadRequest.blocking(Chunk.bytes(k), UTF_8, new CompletableFuture<>());
      ReadRequest b = ReadRequest.blocking(Chunk.bytes(k), UTF_8, new CompletableFuture<>());
      assertThat(c.reads.takeNowOrCount(a, true, c, true, pause)).hasSize(k);
      assertThat(c.reads.takeNowOrCount(b, true, c, true, pause)).hasSize(k);
      for (ReadRequest r : new ReadRequest[] {a, b}) { // what SocketCore.read does after a take
        if (r.loopShouldLook) {
          core.loop.execute(c::serveReadsNow);
        }
      }
      assertThat(a.loopShouldLook).as("the take that crossed the pause asks the loop to look").isTrue();
      int more = c.reads.inbound.size() + 100_000;
      CompletableFuture<byte[]> result = new CompletableFuture<>();
      boolean queued = core.read(name, ReadRequest.blocking(Chunk.bytes(more), UTF_8, result));
      byte[] got = queued ? Waits.await(result, core.settings.timeout().toNanos(), core::nudge) : Waits.await(result);
      assertThat(got).hasSize(more);
      peer.close();
    } finally {
      core.close();
    }
  }
}
