package org.sockscript.reliability;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.RecordingListener;
import org.sockscript.testing.LineServer;
import org.sockscript.testing.TestPki;

/**
 * Fuzzes the upgrade path: the peer answers {@code STARTTLS} with {@code 220 go} and then sends
 * arbitrary bytes where its TLS records belong, in fuzzer-chosen segments, and then either hangs
 * up or stays silent. Whatever the bytes, the upgrade must end in exactly one {@code socketError},
 * the waiting read must throw an {@link IOException} (never return data: nothing is delivered to
 * the script as if it were secure), no {@code secured} event, and all within a few seconds.
 *
 * <p>Input layout: {@code [flags: bit 0 = stay open, bits 1-3 = segments-1] [bytes...]}. The default
 * build replays the seeds; a real run:
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=UpgradeGarbageFuzzTest -Djazzer.max_duration=60s}.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES) // a fuzzing run is one long invocation; each input is bounded below
class UpgradeGarbageFuzzTest {

  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(300);
  private static LoopbackFuzzPeer shared;

  /**
   * Made on the first input, not in {@code @BeforeAll}: Jazzer's agent (and with it the network
   * sanitizer that {@link LoopbackFuzzPeer} configures) is only there once a fuzz test runs.
   */
  private static synchronized LoopbackFuzzPeer peer() throws Exception {
    if (shared == null) {
      shared = new LoopbackFuzzPeer();
      shared.registry.setSslCertificates(List.of(TestPki.get().rootPem()));
      shared.registry.setSocketTimeoutInterval(HANDSHAKE_TIMEOUT);
    }
    return shared;
  }

  @AfterAll
  static void stop() throws Exception {
    if (shared != null) {
      shared.close();
    }
  }

  /**
   * The client may reject the first segment and close before the rest is sent: that is its
   * right, so a broken pipe or reset here ends the sending, not the input (a fuzzer finding,
   * {@code found-client-hangs-up-between-garbage-segments}, taught the test this).
   */
  private static void sendUntilTheClientHangsUp(LoopbackFuzzPeer.Connection c, byte[] garbage, int segments,
      boolean stayOpen) {
    try {
      for (int i = 0; i < segments; i++) {
        c.send(garbage, garbage.length * i / segments, garbage.length * (i + 1) / segments);
        LoopbackFuzzPeer.pause();
      }
      if (!stayOpen) {
        c.peer().shutdownOutput();
      }
    } catch (IOException clientHungUp) {
      // checked below: the client must have reported a socketError
    }
  }

  @FuzzTest(maxDuration = "60s")
  void randomBytesAfterStarttlsEndInOneSocketErrorAndNeverReachTheScript(byte[] input) throws Exception {
    try (SilentCloseable loopback = LoopbackFuzzPeer.allowLoopbackOnly()) {
      boolean stayOpen = input.length > 0 && (input[0] & 1) != 0;
      int segments = input.length > 0 ? ((input[0] >> 1) & 7) + 1 : 1;
      byte[] garbage = Arrays.copyOfRange(input, Math.min(1, input.length), Math.min(input.length, 1 + 16 * 1024));
      LoopbackFuzzPeer peer = peer();
      RecordingListener events = new RecordingListener();
      long start = System.nanoTime();
      try (LoopbackFuzzPeer.Connection c = peer.connect(events)) {
        peer.registry.write(c.name(), "STARTTLS\r\n");
        assertThat(LineServer.readLine(c.peer().getInputStream())).isEqualTo("STARTTLS");
        c.send("220 go\r\n".getBytes(ISO_8859_1), 0, 8);
        assertThat(peer.registry.read(c.name(), Chunk.until("\r\n"))).isEqualTo("220 go\r\n");
        peer.registry.secure(c.name(), true, "localhost");
        sendUntilTheClientHangsUp(c, garbage, segments, stayOpen);

        Throwable thrown = catchThrowable(() -> peer.registry.read(c.name(), Chunk.until("\r\n")));
        String error = events.awaitEvent("socketError " + c.name(), Duration.ofSeconds(5));
        assertThat(thrown).as("the read after secure, with %d garbage bytes", garbage.length)
            .isInstanceOf(IOException.class).hasMessageContaining(c.name());
        assertThat(error).isNotBlank();
        assertThat(events.events()).as("events").containsExactly("connected " + c.name(), error);
        assertThat(peer.registry.openSockets()).doesNotContain(c.name());
        peer.registry.close(c.name()); // tidy the ended name
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }
}
