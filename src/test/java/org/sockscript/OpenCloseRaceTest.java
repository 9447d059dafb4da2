package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A socket closed while it is still being opened must not come to life afterwards. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenCloseRaceTest {

  @Test
  void closingASocketWhileItOpensLeavesNothingBehind() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      RecordingListener events = new RecordingListener();
      pair.client.open(pair.name("|warm-up"), events);
      events.awaitEvent("connected", LoopbackPair.WAIT);
      pair.client.close(pair.name("|warm-up"));
      pair.server.setSocketTimeoutInterval(Duration.ofMillis(200)); // its half-closed ends idle out
      long baseline = fds();
      for (int i = 0; i < 200; i++) {
        pair.client.open(pair.name("|" + i), events);
        pair.client.close(pair.name("|" + i));
      }
      // Settled means: clean for 300 ms running (the server may still be accepting from its backlog).
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      long cleanSince = System.nanoTime();
      while (System.nanoTime() < deadline && System.nanoTime() - cleanSince < 300_000_000L) {
        if (fds() > baseline + 2 || pair.server.openSockets().size() > 1) {
          cleanSince = System.nanoTime();
        }
        Thread.sleep(20);
      }
      assertThat(pair.client.openSockets()).isEmpty();
      assertThat(pair.server.openSockets()).containsExactly(pair.listener);
      assertThat(fds()).isLessThanOrEqualTo(baseline + 2);
      assertThat(events.events()).noneMatch(e -> e.startsWith("socketError"));
    }
  }

  private static long fds() throws Exception {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
