package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sockscript.LoopbackPair.WAIT;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** DESIGN §3: reads and writes on one socket are served strictly in issue order, across threads. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OrderingTest {

  private static final int THREADS = 8;
  private static final int LINES = 200;
  private static final Pattern LINE = Pattern.compile("t(\\d) line (\\d+)\n");

  @Test
  void concurrentWritersKeepEachThreadsLinesInOrderAndWhole() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      String peer = pair.accepted(name);
      runWriters(pair.client, name);

      List<List<Integer>> perThread = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        perThread.add(new ArrayList<>());
      }
      for (int i = 0; i < THREADS * LINES; i++) {
        String line = pair.server.read(peer, Chunk.lines(1));
        Matcher m = LINE.matcher(line);
        assertThat(m.matches()).as("line %d is whole: %s", i, line).isTrue();
        perThread.get(Integer.parseInt(m.group(1))).add(Integer.parseInt(m.group(2)));
      }
      List<Integer> expected = new ArrayList<>();
      for (int n = 0; n < LINES; n++) {
        expected.add(n);
      }
      for (int t = 0; t < THREADS; t++) {
        assertThat(perThread.get(t)).as("lines of thread t%d", t).isEqualTo(expected);
      }
      assertThat(pair.server.read(peer, Chunk.available())).isEmpty();
    }
  }

  @Test
  void callbackReadsIssuedFromSeveralThreadsAreServedInIssueOrder() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      RecordingListener reads = new RecordingListener();
      String name = pair.connect("");
      for (int i = 0; i < 3; i++) {
        Thread issuer = new Thread(() -> pair.client.read(name, Chunk.lines(1), reads.readRecorder()),
            "reader-" + i);
        issuer.start();
        issuer.join(5000);  // the next read is issued only after this one
      }
      pair.server.write(pair.accepted(name), "1\n2\n3\n");
      reads.awaitEvents("read ", 3, WAIT);
      assertThat(reads.events()).containsExactly(
          "read " + name + ": 1\n", "read " + name + ": 2\n", "read " + name + ": 3\n");
    }
  }

  @Test
  void callbackAndBlockingWritesGoOutInIssueOrder() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      pair.client.write(name, "a\n", null);
      pair.client.write(name, "b\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      pair.client.write(name, "c\n", null);
      pair.client.write(name, "d\n");
      assertThat(pair.server.read(pair.accepted(name), Chunk.lines(4))).isEqualTo("a\nb\nc\nd\n");
    }
  }

  /** Starts 8 threads at once, each blocking-writing 200 numbered lines; waits for all. */
  private static void runWriters(SocketRegistry client, String name) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        writers.add(pool.submit(() -> {
          start.await();
          for (int n = 0; n < LINES; n++) {
            client.write(name, "t" + thread + " line " + n + "\n");
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> writer : writers) {
        writer.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
