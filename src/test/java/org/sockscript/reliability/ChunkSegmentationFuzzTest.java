package org.sockscript.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.RecordingListener;

/**
 * Fuzzes the chunk reader: a list of reads ({@code until}, bytes, chars, lines, items, words,
 * and a final {@code untilEnd}) is queued, then the same bytes arrive over loopback once in a
 * single write and once cut into fuzzer-chosen segments; and once more with the cuts, read by a
 * script thread with blocking reads as the bytes come (the path where that thread takes buffered
 * bytes, reads the socket itself, or queues its read). Every run must hand the reads the same
 * chunks, and the simple kinds must match a plain model of their meaning.
 *
 * <p>Input layout (raw bytes, so seeds are easy to write): {@code [charset bit 3 | reads-1 in
 * bits 0-2] [one spec byte per read] [cut count] [cut positions...] [data...]}; see {@link Plan#of}.
 * With ISO-8859-1 (one char per byte) the chunks are also checked against {@link ChunkModel}. The default build replays the seeds; a real
 * run: {@code JAZZER_FUZZ=1 mvn test -Dtest=ChunkSegmentationFuzzTest -Djazzer.max_duration=60s}.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES) // a fuzzing run is one long invocation; each input is bounded below
class ChunkSegmentationFuzzTest {

  private static LoopbackFuzzPeer shared;

  /**
   * Made on the first input, not in {@code @BeforeAll}: Jazzer's agent (and with it the network
   * sanitizer that {@link LoopbackFuzzPeer} configures) is only there once a fuzz test runs.
   */
  private static synchronized LoopbackFuzzPeer peer() throws Exception {
    if (shared == null) {
      shared = new LoopbackFuzzPeer();
    }
    return shared;
  }

  @AfterAll
  static void stop() throws Exception {
    if (shared != null) {
      shared.close();
    }
  }

  /** The socket's charset, the reads, the cuts and the data one input describes. */
  record Plan(Charset charset, List<Chunk> reads, int[] cuts, byte[] data) {

    static final String[] DELIMITERS = {"\r\n", "\n", ",", ".", "END", "é", "\r\n.\r\n", "aa"};

    static Plan of(byte[] in) {
      int at = 0;
      int first = in.length > at ? in[at++] & 0xff : 0;
      int count = (first & 7) + 1;
      Charset charset = (first & 8) == 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
      List<Chunk> reads = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int spec = in.length > at ? in[at++] & 0xff : 0;
        int n = (spec >> 3) % 16 + 1;
        switch (spec & 7) {
          case 0: reads.add(Chunk.bytes(n)); break;
          case 1: reads.add(Chunk.chars(n)); break;
          case 2: reads.add(Chunk.lines(n % 4 + 1)); break;
          case 3: reads.add(Chunk.items(n % 4 + 1)); break;
          case 4: reads.add(Chunk.words(n % 4 + 1)); break;
          default: reads.add(Chunk.until(DELIMITERS[n % DELIMITERS.length])); break;
        }
      }
      reads.add(Chunk.untilEnd());
      int cutCount = in.length > at ? in[at++] & 15 : 0;
      int[] positions = new int[cutCount];
      for (int i = 0; i < cutCount; i++) {
        positions[i] = in.length > at ? in[at++] & 0xff : 0;
      }
      byte[] data = Arrays.copyOfRange(in, Math.min(at, in.length), Math.min(in.length, at + 4096));
      int[] cuts = Arrays.stream(positions).map(p -> data.length == 0 ? 0 : p % data.length)
          .sorted().distinct().toArray();
      return new Plan(charset, reads, cuts, data);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void anySegmentationOfTheSameBytesYieldsTheSameChunks(byte[] input) throws Exception {
    try (SilentCloseable loopback = LoopbackFuzzPeer.allowLoopbackOnly()) {
      Plan plan = Plan.of(input);
      List<String> whole = readAll(plan, new int[0]);
      List<String> cut = readAll(plan, plan.cuts());
      assertThat(cut).as("chunks with cuts at %s vs in one piece, reads %s", Arrays.toString(plan.cuts()), plan.reads())
          .isEqualTo(whole);
      List<String> blocking = readAllBlocking(plan, plan.cuts());
      assertThat(blocking).as("blocking reads with cuts at %s vs callback reads, reads %s",
          Arrays.toString(plan.cuts()), plan.reads()).isEqualTo(whole);
      if (plan.charset().equals(StandardCharsets.ISO_8859_1)) { // one char per byte: chunks are exact bytes
        assertThat(String.join("", whole)).as("every byte handed out once, in order")
            .isEqualTo(new String(plan.data(), StandardCharsets.ISO_8859_1));
        assertThat(whole).as("chunks of %s per a plain model", plan.reads())
            .isEqualTo(ChunkModel.chunks(plan.reads(), plan.data()));
      }
    }
  }

  /**
   * Issues the plan's reads one after another as blocking reads on this thread while another
   * thread sends the data with the given cuts; a read the end of stream cuts short counts with
   * what it got, as a callback read would.
   */
  private static List<String> readAllBlocking(Plan plan, int[] cuts) throws Exception {
    List<String> chunks = new ArrayList<>();
    LoopbackFuzzPeer peer = peer();
    try (LoopbackFuzzPeer.Connection c = peer.connect(new RecordingListener())) {
      peer.registry.setCharset(c.name(), plan.charset());
      java.util.concurrent.CompletableFuture<Void> sent = java.util.concurrent.CompletableFuture.runAsync(() -> {
        try {
          sendThenEnd(c, plan.data(), cuts);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      for (Chunk chunk : plan.reads()) {
        try {
          chunks.add(peer.registry.read(c.name(), chunk));
        } catch (org.sockscript.SocketEofException eof) {
          chunks.add(eof.partialText());
        }
      }
      sent.get(5, TimeUnit.SECONDS);
    }
    return chunks;
  }

  /** Queues the plan's reads as callback reads, sends the data with the given cuts, returns the chunks. */
  private static List<String> readAll(Plan plan, int[] cuts) throws Exception {
    List<String> chunks = new ArrayList<>();
    CountDownLatch all = new CountDownLatch(plan.reads().size());
    LoopbackFuzzPeer peer = peer();
    try (LoopbackFuzzPeer.Connection c = peer.connect(new RecordingListener())) {
      peer.registry.setCharset(c.name(), plan.charset());
      for (Chunk chunk : plan.reads()) {
        peer.registry.read(c.name(), chunk, (socket, data) -> {
          synchronized (chunks) {
            chunks.add(data);
          }
          all.countDown();
        });
      }
      sendThenEnd(c, plan.data(), cuts); // at the end of stream the last reads get what is left
      assertThat(all.await(5, TimeUnit.SECONDS)).as("all %d reads answered", plan.reads().size()).isTrue();
    }
    synchronized (chunks) {
      return List.copyOf(chunks);
    }
  }

  /** Sends {@code data} in pieces cut at {@code cuts}, pausing between them, then ends the stream. */
  private static void sendThenEnd(LoopbackFuzzPeer.Connection c, byte[] data, int[] cuts) throws java.io.IOException {
    int from = 0;
    for (int cutAt : cuts) {
      c.send(data, from, cutAt);
      from = cutAt;
      LoopbackFuzzPeer.pause();
    }
    c.send(data, from, data.length);
    c.peer().shutdownOutput();
  }
}
