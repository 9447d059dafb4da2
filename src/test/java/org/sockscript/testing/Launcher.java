package org.sockscript.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's {@code ./sockscript} launcher as a user does, from the project folder, with
 * stdout and stderr together: to completion ({@link #run}), or in the background for a script that
 * serves until stopped ({@link #start}).
 */
public final class Launcher {

  /** The project folder, where the launcher is. */
  public static final Path ROOT = Path.of("").toAbsolutePath();

  /** A finished launch: its exit code and everything it printed. */
  public record Run(int exitCode, String output) {}

  private Launcher() {}

  /** Runs {@code ./sockscript <script>}; fails the test if it takes more than {@code seconds}. */
  public static Run run(String script, long seconds) throws IOException, InterruptedException {
    File log = File.createTempFile("sockscript-launch-", ".log");
    try {
      Process process = builder(script, Map.of()).redirectOutput(log).start();
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        stop(process);
        throw new AssertionError("./sockscript " + script + " did not finish within " + seconds
            + " s; output so far:\n" + Files.readString(log.toPath(), UTF_8));
      }
      return new Run(process.exitValue(), Files.readString(log.toPath(), UTF_8));
    } finally {
      Files.deleteIfExists(log.toPath());
    }
  }

  /** Starts {@code ./sockscript <script>} with {@code env} added, its output going to {@code log}. */
  public static Process start(String script, Map<String, String> env, Path log) throws IOException {
    return builder(script, env).redirectOutput(log.toFile()).start();
  }

  /** Kills {@code process} and everything it started (JShell's own JVM among them). */
  public static void stop(Process process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  private static ProcessBuilder builder(String script, Map<String, String> env) {
    ProcessBuilder builder = new ProcessBuilder("./sockscript", script)
        .directory(ROOT.toFile())
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(env);
    return builder;
  }
}
