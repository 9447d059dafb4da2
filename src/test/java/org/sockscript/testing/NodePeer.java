package org.sockscript.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * A Node.js peer from {@code src/test/node/push-server} (npm {@code socket.io} v4 and {@code ws},
 * installed by {@code npm ci}), started with a JSON config file on 127.0.0.1. It prints one JSON
 * object per line; the first is {@code {"event":"listening","port":N}}. Skips the test, saying
 * what to install, when {@code node} or the npm packages are missing.
 *
 * <pre>{@code
 * try (NodePeer server = NodePeer.start("server.js", config)) {
 *   String url = "https://127.0.0.1:" + server.port();
 *   server.awaitEvent(e -> e.get("event").getAsString().equals("recieved"), Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class NodePeer implements AutoCloseable {

  /** The folder of the Node peers, relative to the project (the tests' working directory). */
  public static final Path DIR = Path.of("src/test/node/push-server");

  private final CapturedProcess process;
  private final int port;

  private NodePeer(CapturedProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Skips the calling test unless node and the npm packages are there. */
  public static void assumeInstalled() {
    Assumptions.assumeTrue(InstalledPeers.installed("node"), "node is not installed: skipping a test against"
        + " a real socket.io server (.ci/run installs it: apt-get install -y nodejs npm; then npm ci in " + DIR + ")");
    Assumptions.assumeTrue(Files.isDirectory(DIR.resolve("node_modules/socket.io")), "the npm packages of " + DIR
        + " are not installed: skipping a test against a real socket.io server (run: cd " + DIR + " && npm ci)");
  }

  /** Starts {@code script} with {@code config} written to a temporary file; returns once it listens. */
  public static NodePeer start(String script, JsonObject config) throws IOException, InterruptedException {
    assumeInstalled();
    Path file = Files.createTempFile("sockscript-node-", ".json");
    file.toFile().deleteOnExit();
    Files.writeString(file, config.toString());
    CapturedProcess process = CapturedProcess.start(List.of("node", DIR.resolve(script).toString(), file.toString()));
    NodePeer peer = new NodePeer(process, -1);
    JsonObject listening = peer.awaitEvent(e -> e.get("event").getAsString().equals("listening"), Duration.ofSeconds(15));
    if (listening == null) {
      process.close();
      throw new IllegalStateException("node " + script + " did not start: " + process.output());
    }
    return new NodePeer(process, listening.get("port").getAsInt());
  }

  /** The port it listens on, on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** Its process id. */
  public long pid() {
    return process.pid();
  }

  /** Every JSON line printed so far (other lines, such as Node's errors, are left out). */
  public List<JsonObject> events() {
    List<JsonObject> events = new ArrayList<>();
    for (String line : process.output().split("\n")) {
      if (line.startsWith("{")) {
        try {
          events.add(JsonParser.parseString(line).getAsJsonObject());
        } catch (RuntimeException partial) {
          // the last line may still be arriving
        }
      }
    }
    return events;
  }

  /** Waits (polling every 10 ms, at most {@code timeout}) for an event that matches; null on timeout. */
  public JsonObject awaitEvent(Predicate<JsonObject> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      for (JsonObject event : events()) {
        if (match.test(event)) {
          return event;
        }
      }
      Thread.sleep(10);
    } while (System.nanoTime() < deadline && process.isAlive());
    return events().stream().filter(match).findFirst().orElse(null);
  }

  /** Everything the process printed, for failure messages. */
  public String output() {
    return process.output();
  }

  /** Sends a POSIX signal ({@code STOP}, {@code CONT}, {@code KILL}) to the process. */
  public void signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  @Override
  public void close() {
    process.close();
  }
}
