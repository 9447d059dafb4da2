package org.sockscript;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The report as it happened: in JShell, Ctrl-C ({@link JShell#stop()}) on a blocking read. JShell
 * runs snippets in a second JVM and stops one by throwing a {@code ThreadDeath} into it through
 * the debugger interface (on every JDK: JDI's stop is not {@code Thread.stop}), so the read ends
 * with neither an interrupt nor a return. The next line the peer sends must reach the next read.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JShellStopTest {

  @Test
  void readStoppedInJShellLeavesNoQueuedRead() throws Exception {
    ExecutorService evaluator = Executors.newSingleThreadExecutor();
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        JShell jshell = JShell.builder()
            .remoteVMOptions("--class-path", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
            .build()) {
      eval(jshell, "import org.sockscript.*;");
      eval(jshell, "var sockets = new SocketRegistry();");
      eval(jshell, "sockets.setSocketTimeoutInterval(java.time.Duration.ofSeconds(5));");
      eval(jshell, "var name = \"127.0.0.1:" + listener.getLocalPort() + "\";");
      eval(jshell, "sockets.open(name);");
      eval(jshell, "String readAfterSaying(String s) throws java.io.IOException { sockets.write(name, s); return sockets.read(name, Chunk.until(\"\\n\")); }");
      try (Socket peer = listener.accept()) {
        BufferedReader fromScript = new BufferedReader(new InputStreamReader(peer.getInputStream(), ISO_8859_1));
        Future<List<SnippetEvent>> reading = evaluator.submit(() -> jshell.eval("readAfterSaying(\"ready\\n\")"));
        assertThat(fromScript.readLine()).isEqualTo("ready");
        Thread.sleep(300); // the snippet is waiting in its read now
        jshell.stop();
        SnippetEvent stopped = reading.get(20, TimeUnit.SECONDS).get(0);
        // Stopped, JShell reports neither a value nor an exception (a timeout would be one).
        assertThat(stopped.exception()).as("the stopped read's exception").isNull();
        assertThat(stopped.value()).as("the stopped read's value").isNull();
        peer.getOutputStream().write("one\n".getBytes(ISO_8859_1));
        assertThat(eval(jshell, "sockets.read(name, Chunk.until(\"\\n\"))"))
            .as("the read after the stopped one").isEqualTo("\"one\\n\"");
      }
    } finally {
      evaluator.shutdownNow();
    }
  }

  /** Evaluates one snippet; returns its value, failing on any exception or rejection. */
  private static String eval(JShell jshell, String code) {
    List<SnippetEvent> events = jshell.eval(code);
    assertThat(events).as("events of %s", code).isNotEmpty();
    SnippetEvent event = events.get(0);
    assertThat(event.exception()).as("exception from %s", code).isNull();
    assertThat(event.status()).as("status of %s: %s", code, jshell.diagnostics(event.snippet()).toList())
        .isEqualTo(Snippet.Status.VALID);
    return event.value();
  }
}
