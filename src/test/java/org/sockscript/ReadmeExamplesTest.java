package org.sockscript;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sockscript.testing.Launcher;
import org.sockscript.testing.Launcher.Run;
import org.sockscript.testing.Loopback;

/**
 * Every Java block of README.md runs as printed: pasted into {@code ./sockscript} (each block in a
 * fresh session), against the demo mail server {@code samples/mail-server.jsh} the README tells a
 * newcomer to start — on a free port instead of 2525, so parallel runs do not collide.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReadmeExamplesTest {

  private static final Pattern JAVA_BLOCK = Pattern.compile("(?s)```java\n(.*?)```");
  private static final long RUN_SECONDS = 90;

  @TempDir
  static Path folder;
  private static Process server;
  private static Path serverLog;
  private static int port;

  @BeforeAll
  static void startTheDemoMailServer() throws Exception {
    port = Loopback.freePort();
    serverLog = folder.resolve("mail-server.log");
    server = Launcher.start("samples/mail-server.jsh", Map.of("SOCKSCRIPT_DEMO_PORT", String.valueOf(port)), serverLog);
    String ready = "demo mail server on localhost:" + port;
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!log().contains(ready) && server.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(log()).as("the demo mail server's output").contains(ready);
  }

  @AfterAll
  static void stopTheServer() throws Exception {
    if (server != null) {
      Launcher.stop(server);
    }
  }

  @Test
  void theFirstDialogueUpgradesToTlsAgainstTheDemoServer() throws Exception {
    Run run = runBlock(0);

    assertThat(run.output()).contains("220 localhost ESMTP sockscript demo", "250-localhost", "250 STARTTLS",
        "220 go ahead", "250 localhost, over TLS", "TLSv1.3", "verified as localhost");
    assertThat(log()).as("the server's output").contains("(plain): EHLO me", "(TLS): EHLO me");
  }

  @Test
  void theBulkExampleReadsEightMebibytesIntoOneArray() throws Exception {
    assertThat(runBlock(1).output()).contains("8388608 bytes");
  }

  @Test
  void theServerSideExampleSecuresAnAcceptedSocket() throws Exception {
    assertThat(runBlock(2).output()).contains("220 go ahead", "hello over TLS");
  }

  @Test
  void everyJavaBlockOfTheReadmeIsRunHere() throws Exception {
    assertThat(javaBlocks()).as("README.md's Java blocks; a new one needs a test here").hasSize(3);
  }

  /** Runs the README's Java block {@code index} through the launcher; it must run clean. */
  private static Run runBlock(int index) throws Exception {
    String code = javaBlocks().get(index).replace("localhost:2525", "localhost:" + port);
    Path script = folder.resolve("readme-" + index + ".jsh");
    Files.writeString(script, code + "/exit\n", UTF_8);
    Run run = Launcher.run(script.toString(), RUN_SECONDS);
    assertThat(run.exitCode()).as("README block %d through ./sockscript, output:%n%s", index, run.output()).isZero();
    assertThat(run.output()).as("README block %d", index).doesNotContainPattern("(?m)^(\\|  )?(Exception|Error:)");
    return run;
  }

  private static List<String> javaBlocks() throws Exception {
    Matcher blocks = JAVA_BLOCK.matcher(Files.readString(Launcher.ROOT.resolve("README.md"), UTF_8));
    List<String> found = new ArrayList<>();
    while (blocks.find()) {
      found.add(blocks.group(1));
    }
    return found;
  }

  private static String log() throws Exception {
    return Files.exists(serverLog) ? Files.readString(serverLog, UTF_8) : "";
  }
}
