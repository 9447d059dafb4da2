package org.sockscript;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sockscript.testing.Launcher;
import org.sockscript.testing.Launcher.Run;

/**
 * Issue 4: every walkthrough in {@code samples/} runs clean through the {@code ./sockscript}
 * launcher, exactly as a user runs it. The samples are found by listing the folder, so a new one is
 * covered without touching this class; {@link #KEY_LINES} adds what each known sample must show.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SamplesTest {

  private static final Path SAMPLES = Launcher.ROOT.resolve("samples");
  private static final long SAMPLE_SECONDS = 60;
  /** A line JShell or the JVM prints when a snippet or a thread failed. */
  private static final Pattern FAILURE_LINE =
      Pattern.compile("(?m)^(\\|  )?(Exception|Error:).*$");
  /** The sample's own closing line, as written in its source: {@code "done: ..."}. */
  private static final Pattern DONE_LITERAL = Pattern.compile("\"(done: [^\"]+)\"");
  /** A top-level method or class declaration in a JShell script: its name. */
  private static final Pattern DECLARATION =
      Pattern.compile("(?m)^(?:class\\s+(\\w+)|[\\w<>\\[\\]][\\w<>\\[\\], ]*?\\s+(\\w+)\\s*\\([^)]*\\)\\s*(?:throws\\s+[\\w., ]+)?\\{)");

  /** What each sample must print besides its "done:" line: the facts it exists to show. */
  private static final Map<String, List<String>> KEY_LINES = Map.of(
      "01-first-socket.jsh", List.of(
          "The server greets us: hello from the server",
          "Reply: you said: first line",
          "Available now: \"\" (nothing yet)",
          "Through the streams: \"you said: streamed\"",
          "After closing: []"),
      "02-starttls.jsh", List.of(
          "S: 220 Ready to start TLS",
          "server: read over TLS: EHLO client.example",
          "client tlsInfo: TLSv1.3",
          "verified as localhost",
          "text  \"STARTTLS\\r\\n\"",
          "handshake: ClientHello",
          "in the clear the client sent 1 EHLO and 0 QUIT",
          "the write was still queued when secure was called",
          "So the ClientHello follows the queued plaintext: yes",
          "then read over TLS: SECRET written after secure",
          "\"SECRET\" appears 0 times in the captured bytes"),
      "03-verification.jsh", List.of(
          "verified as localhost, peer CN=localhost",
          "issuer=CN=Walkthrough CA",
          "UNVERIFIED",
          "socketError: hostname mismatch: expected 127.0.0.1, certificate names [localhost]",
          "hostname mismatch: expected localhost, certificate names [other.example]",
          "socketError: certificate not trusted",
          "the blocking form throws SSLHandshakeException: certificate not trusted",
          "no plaintext fallback"),
      "04-events.jsh", List.of(
          "server event: newConnection(",
          "client event: connected(",
          "client read callback: \"first line\\r\\n\"",
          "client event: socketTimeout(",
          "client read callback: \"late, but not lost\\r\\n\"",
          "no socketClosed yet",
          "client event: socketClosed(",
          "client event: socketError(",
          "can't connect to host"),
      "05-push-protocol.jsh", List.of(
          "wire ← HTTP/1.1 101 Switching Protocols",
          "wire → text 40",
          "wire ← text 42[\"authorized\"]",
          "wire → text 42[\"recieved\",{\"messageId\":\"msg-2\"}]",
          "message msg-1: header=\"greeting\" body=\"Hello over wss!\"",
          "message msg-2: header=\"bytes\" body=256 bytes, 0x00 to 0xFF",
          "verified as 127.0.0.1",
          "the server saw the acknowledgement of msg-2: true",
          "-> authorized (serverTime ",
          "), after a retry",
          "-> not authorized: signature",
          "-> not authorized: not registered",
          "-> not authorized: revoked",
          "-> not authorized: badly formed credentials"),
      "08-ftps.jsh", Files.isExecutable(Path.of("/usr/sbin/vsftpd"))
          && Files.isExecutable(Path.of("/usr/bin/openssl")) ? List.of(
          "C: PROT P",
          "S: 200 PROT now Private.",
          "data: Hello from vsftpd, over a resumed TLS session!",
          "resumed, verified as localhost",
          "The data connection resumed the control connection's session: true",
          "S: 226 Transfer complete.") : List.of("needs vsftpd and openssl"),
      "06-proxy-tunnel.jsh", List.of(
          "S: HTTP/1.1 200 Connection established",
          "verified as target.example",
          "Hello from target.example!",
          "client -> target: ",
          "starting 16 03",
          "hostname mismatch: expected localhost, certificate names [target.example]"),
      "07-datagrams-and-trace.jsh", java.util.stream.Stream.concat(Stream.of(
          "client got \"echo: hello\" (11 bytes) from 127.0.0.1:",
          "client got \"echo: \" (6 bytes)",
          "datagram too large: 70000 bytes, the limit is 65507 bytes",
          " > 10 B \"STARTTLS\\r\\n\"",
          " B TLS Handshake v1.0 len ",
          "[ClientHello]",
          "[ServerHello]",
          " > to encrypt 9 B \"EHLO me\\r\\n\"",
          " < decrypted 8 B \"250 ok\\r\\n\"",
          "wrote a pcapng file"), onPath("tshark") // what tshark read back from the file, in order
          ? Stream.of("3. tshark -r reads it back", "STARTTLS", "Client Hello") : Stream.of("tshark is not installed"))
          .toList());

  private static boolean onPath(String command) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }

  static Stream<String> samples() throws IOException {
    try (Stream<Path> files = Files.list(SAMPLES)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d\\d-.*\\.jsh")) // the numbered walkthroughs (not startup, helpers, mail-server)
          .sorted()
          .toList()
          .stream();
    }
  }

  /**
   * Lets the launcher build the jar, if it must, before the samples are timed: a trivial script
   * under a generous bound, so the first sample's 60 seconds are spent on the sample.
   */
  @BeforeAll
  static void launcherIsReady(@org.junit.jupiter.api.io.TempDir Path temp) throws Exception {
    Path script = temp.resolve("ready.jsh");
    Files.writeString(script, "System.out.println(\"ready: \" + sockets.openSockets());\n/exit\n");
    Run run = launch(script.toString(), 240);
    assertThat(run.exitCode()).as("the launcher, output:%n%s", run.output()).isZero();
    assertThat(run.output()).as("the launcher, output:%n%s", run.output()).contains("ready: []");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void sampleRunsCleanThroughTheLauncher(String sample) throws Exception {
    if (sample.startsWith("05-")) {
      org.sockscript.testing.NodePeer.assumeInstalled(); // without node the sample only says how to get it
    }
    String source = Files.readString(SAMPLES.resolve(sample), UTF_8);
    Matcher done = DONE_LITERAL.matcher(source);
    assertThat(done.find()).as("%s prints a \"done: ...\" line as its last act", sample).isTrue();

    Run run = launch("samples/" + sample, SAMPLE_SECONDS);

    assertThat(run.exitCode()).as("exit code of ./sockscript samples/%s, output:%n%s", sample, run.output())
        .isZero();
    assertThat(run.output().lines()).as("output of %s:%n%s", sample, run.output()).contains(done.group(1));
    assertThat(FAILURE_LINE.matcher(run.output()).results().map(r -> r.group()).toList())
        .as("failure lines in the output of %s:%n%s", sample, run.output())
        .isEmpty();
    assertThat(run.output()).as("output of %s", sample)
        .contains(KEY_LINES.getOrDefault(sample, List.of()));
  }

  /** A renamed sample must not silently lose the checks of its key lines. */
  @Test
  void everySampleWithKeyLinesExists() throws IOException {
    assertThat(samples().toList()).containsAll(KEY_LINES.keySet());
  }

  /**
   * What the walkthroughs share lives once, in helpers.jsh, which they load with {@code /open}: no
   * walkthrough declares again a method or class that helpers.jsh declares.
   */
  @Test
  void noWalkthroughCarriesACopyOfASharedHelper() throws IOException {
    String helpers = Files.readString(SAMPLES.resolve("helpers.jsh"), UTF_8);
    List<String> shared = declarations(helpers);
    assertThat(shared).as("declarations in helpers.jsh").contains("keytool", "Relay");

    for (String sample : samples().toList()) {
      List<String> declared = declarations(Files.readString(SAMPLES.resolve(sample), UTF_8));
      assertThat(declared).as("%s declares its own copy of a helper (use /open samples/helpers.jsh)", sample)
          .doesNotContainAnyElementsOf(shared);
    }
  }

  private static List<String> declarations(String script) {
    return DECLARATION.matcher(script).results()
        .map(m -> m.group(1) != null ? m.group(1) : m.group(2)).toList();
  }

  private static Run launch(String script, long seconds) throws Exception {
    return Launcher.run(script, seconds);
  }
}
