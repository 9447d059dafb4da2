package org.sockscript.reliability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.sockscript.RecordingListener;
import org.sockscript.SocketRegistry;
import org.sockscript.internal.SocketName;

/**
 * Fuzzes the socket-name parser, {@code host[:port][|id]}: any text either parses to a usable
 * name (port 1–65535, a non-empty host of allowed characters, and a round trip through
 * {@link SocketName#format} gives the same parts) or is refused with an
 * {@link IllegalArgumentException} that names the bad part — and {@code open} refuses it the same
 * way, before any I/O. Never any other exception. Names that parse are never opened (that would
 * resolve and connect); verbs on them must say the socket is not open.
 *
 * <p>The default build replays the seeds in {@code src/test/resources/.../SocketNameFuzzTestInputs}.
 * A real run: {@code JAZZER_FUZZ=1 mvn test -Dtest=SocketNameFuzzTest -Djazzer.max_duration=60s}.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES) // a fuzzing run is one long invocation; each input takes microseconds
class SocketNameFuzzTest {

  private static SocketRegistry registry;

  @BeforeAll
  static void startRegistry() {
    registry = new SocketRegistry();
  }

  @AfterAll
  static void closeRegistry() {
    registry.close();
  }

  @FuzzTest(maxDuration = "60s")
  void everyNameParsesOrIsRefusedNamingTheBadPart(byte[] input) {
    String text = new String(input, UTF_8);
    assertThatThrownBy(() -> registry.write(text, "x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("socket is not open: \"" + text + "\"");

    SocketName parsed;
    try {
      parsed = SocketName.parse(text);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).matches(
          "(?s)not a valid host:port string: \".*\" \\(.+\\)|not a valid port: \\d+ \\(expected 1 to 65535, in \".*\"\\)");
      assertThat(refused.getMessage()).contains(text);
      assertThatThrownBy(() -> registry.open(text)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage(refused.getMessage());
      assertThatThrownBy(() -> registry.open(text, new RecordingListener()))
          .isInstanceOf(IllegalArgumentException.class).hasMessage(refused.getMessage());
      assertThat(registry.openSockets()).isEmpty();
      return;
    }
    assertThat(parsed.text()).isEqualTo(text);
    assertThat(parsed.port()).isBetween(1, 65535);
    assertThat(parsed.host()).isNotEmpty().doesNotContain("/", "@", " ", "|");
    String again = SocketName.format(parsed.host(), parsed.port())
        + (parsed.connectionId() == null ? "" : "|" + parsed.connectionId());
    SocketName reparsed = SocketName.parse(again);
    assertThat(reparsed.host()).as("host of %s", again).isEqualTo(parsed.host());
    assertThat(reparsed.port()).as("port of %s", again).isEqualTo(parsed.port());
    assertThat(reparsed.connectionId()).as("id of %s", again).isEqualTo(parsed.connectionId());
  }
}
