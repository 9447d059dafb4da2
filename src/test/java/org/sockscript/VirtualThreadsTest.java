package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sockscript.testing.PythonPeer;

/**
 * 2,000 virtual threads each open, write, read and close a socket of one registry against one
 * echo peer (Python's asyncio): all finish, and no virtual thread parks while pinned to its
 * carrier (JFR's {@code jdk.VirtualThreadPinned}, threshold 0) — the blocking verbs wait on
 * futures and locks, never inside a monitor. Needs JDK 21+ (skipped on 17: no virtual threads);
 * {@code .ci/run} runs it on the newest JDK installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VirtualThreadsTest {

  private static final int THREADS = 2_000;

  @Test
  void twoThousandVirtualThreadsRunTheVerbsWithoutPinningTheirCarriers(@TempDir Path folder) throws Exception {
    Assumptions.assumeTrue(Runtime.version().feature() >= 21,
        () -> "virtual threads need JDK 21+; this is " + Runtime.version() + " (.ci/run runs this test on the newest JDK)");
    try (PythonPeer echo = PythonPeer.server("echo-many", "90");
        SocketRegistry sockets = new SocketRegistry();
        Recording recording = new Recording()) {
      ExecutorService virtual = (ExecutorService) Executors.class
          .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
      try {
        run(virtual, sockets, echo.port(), "warm-up", 50); // classes initialised: their locks are the JDK's
        recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
        recording.start();
        run(virtual, sockets, echo.port(), "", THREADS);
        recording.stop();
      } finally {
        virtual.shutdownNow();
      }
      Path file = folder.resolve("pinned.jfr");
      recording.dump(file);
      List<RecordedEvent> pinned = RecordingFile.readAllEvents(file);
      assertThat(pinned).as("virtual threads parked while pinned: %s", pinned).isEmpty();
      assertThat(Files.size(file)).isPositive();
    }
  }

  /** {@code count} virtual threads, each opening, writing, reading and closing its own socket. */
  private static void run(ExecutorService virtual, SocketRegistry sockets, int port, String label, int count)
      throws Exception {
    List<Future<String>> replies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = "127.0.0.1:" + port + "|" + label + i;
      int id = i;
      replies.add(virtual.submit(() -> {
        sockets.open(name);
        sockets.write(name, "hello from " + id + "\n");
        String reply = sockets.read(name, Chunk.until("\n"));
        sockets.close(name);
        return reply;
      }));
    }
    for (int i = 0; i < count; i++) {
      assertThat(replies.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("hello from " + i + "\n");
    }
  }
}
