package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sockscript.testing.TestIdentity;
import org.sockscript.testing.TestPki;

/**
 * A modular application ({@code src/test/resources/modular-consumer}: {@code module app {
 * requires org.sockscript; }}) compiled with {@code javac -p} and run with {@code java -p ... -m
 * app/app.Main}, no {@code --add-modules}: the module's descriptor alone brings in what it needs
 * (SLF4J, Conscrypt with its native library, commons-lang3). The module is the build's own
 * {@code target/classes} (an exploded module, with {@code module-info.class}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModularConsumerTest {

  private static final Path CONSUMER = Path.of("src/test/resources/modular-consumer").toAbsolutePath();
  private static final Path JAVA_BIN = Path.of(System.getProperty("java.home"), "bin");

  @TempDir
  static Path folder;
  private static Path compiled;

  @BeforeAll
  static void compileTheConsumer() throws Exception {
    compiled = folder.resolve("app");
    List<String> javac = new ArrayList<>(List.of(JAVA_BIN.resolve("javac").toString(), "-d", compiled.toString(),
        "--module-path", modulePath(false)));
    try (Stream<Path> sources = Files.walk(CONSUMER)) {
      sources.filter(p -> p.toString().endsWith(".java")).forEach(p -> javac.add(p.toString()));
    }
    Run run = Run.of(javac);
    assertThat(run.exit).as("javac said:%n%s", run.output).isZero();
  }

  @Test
  void aModularAppRunsTheLibraryOverTlsWithOnlyItsModulePath() throws Exception {
    Run run = runApp(true);

    assertThat(run.exit).as("the app said:%n%s", run.output).isZero();
    assertThat(run.output)
        .contains("app: first echo: hello from a module", "app: second echo: hello from a module")
        .contains("app: TLS provider Conscrypt")
        .doesNotContain("NoClassDefFoundError", "SLF4J(W)");
    assertThat(run.output).as("slf4j-simple logs the throwing listener at WARN")
        .containsPattern("WARN .* - sockscript: a listener or callback threw; the socket carries on")
        .contains("app: this listener fails on purpose");
  }

  @Test
  void withoutALoggingBindingAThrowingListenerIsStillPrintedOnStandardError() throws Exception {
    Run run = runApp(false);

    assertThat(run.exit).as("the app said:%n%s", run.output).isZero();
    assertThat(run.output)
        .contains("app: second echo: hello from a module")
        .contains("sockscript: a listener or callback threw; the socket carries on"
            + " (add an SLF4J binding, such as slf4j-simple, to log it instead):")
        .contains("java.lang.IllegalStateException: app: this listener fails on purpose");
  }

  private static Run runApp(boolean withLoggingBinding) throws Exception {
    TestIdentity server = TestPki.get().good();
    return Run.of(List.of(JAVA_BIN.resolve("java").toString(),
        "--module-path", compiled + File.pathSeparator + modulePath(withLoggingBinding),
        "-m", "app/app.Main", server.chainPem().toString(), server.keyPem().toString()));
  }

  /**
   * The library's module (target/classes) and the jars of the modules it requires, transitively,
   * found on the test class path: a dependency added to module-info needs no change here.
   */
  private static String modulePath(boolean withLoggingBinding) throws Exception {
    Map<String, Path> jars = new HashMap<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path jar = Path.of(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(jar)) {
        try {
          ModuleFinder.of(jar).findAll().forEach(m -> jars.putIfAbsent(m.descriptor().name(), jar));
        } catch (FindException e) {
          // not usable as a module (no valid name): the library cannot require it
        }
      }
    }
    Set<Path> path = new LinkedHashSet<>();
    Path library = Path.of(SocketRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Deque<Path> todo = new ArrayDeque<>(List.of(library));
    if (withLoggingBinding) {
      todo.add(jars.get("org.slf4j.simple"));
    }
    while (!todo.isEmpty()) {
      Path next = todo.pop();
      if (path.add(next)) {
        for (ModuleReference module : ModuleFinder.of(next).findAll()) {
          module.descriptor().requires().stream().map(r -> jars.get(r.name()))
              .filter(Objects::nonNull).forEach(todo::add); // (JDK modules are not jars)
        }
      }
    }
    return path.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  /** A finished process: its exit status and everything it printed. */
  private record Run(int exit, String output) {
    static Run of(List<String> command) throws IOException, InterruptedException {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("still running after 60 s: " + command + "\n" + output);
      }
      return new Run(process.exitValue(), output);
    }
  }
}
