package org.sockscript.reliability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * A quiet test run: every {@code @FuzzTest} class gets its short fuzzing run in pom.xml, and that
 * run goes through {@code src/test/fuzz-jvm/bin/java}, which sends libFuzzer's hundreds of progress
 * lines to a log and prints one summary line. A fuzz target added without it would print them all
 * on the console of every {@code mvn test} (docs/reliability.md, "Fuzzing").
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FuzzExecutionsTest {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  /** The annotation on a line of its own, as on a fuzz test method (not in a comment). */
  private static final Pattern FUZZ_TEST = Pattern.compile("(?m)^\\s*@FuzzTest\\b");
  private static final String QUIET_JVM = "${project.basedir}/src/test/fuzz-jvm/bin/java";

  @Test
  void everyFuzzTargetHasAShortFuzzingRunThatPrintsOneSummaryLine() throws Exception {
    Map<String, Element> executions = fuzzExecutionsByTest();
    List<String> targets = fuzzTargets();
    assertThat(targets).as("@FuzzTest classes under src/test/java").isNotEmpty();

    for (String target : targets) {
      Element execution = executions.get(target);
      assertThat(execution).as("a fuzz-* surefire execution in pom.xml whose <test> is %s", target).isNotNull();
      String id = text(execution, "id");
      assertThat(text(execution, "jvm")).as("<jvm> of execution %s (libFuzzer's lines to a log)", id)
          .isEqualTo(QUIET_JVM);
      assertThat(text(execution, "redirectTestOutputToFile")).as("<redirectTestOutputToFile> of %s", id)
          .isEqualTo("true");
      Map<String, String> env = children(first(execution, "environmentVariables"));
      assertThat(env).as("<environmentVariables> of %s", id)
          .containsEntry("JAZZER_FUZZ", "1")
          .containsEntry("FUZZ_TARGET", target)
          .containsEntry("FUZZ_JAVA", "${java.home}/bin/java")
          .containsEntry("FUZZ_LOG", "${project.build.directory}/fuzz-reports/" + target + "-libfuzzer.log");
    }
  }

  /** The simple names of the test classes that declare a {@code @FuzzTest}. */
  private static List<String> fuzzTargets() throws Exception {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT.resolve("src/test/java"))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        if (FUZZ_TEST.matcher(Files.readString(file, UTF_8)).find()) {
          found.add(file.getFileName().toString().replace(".java", ""));
        }
      }
    }
    return found;
  }

  /** pom.xml's surefire executions whose id starts with fuzz-, by their {@code <test>}. */
  private static Map<String, Element> fuzzExecutionsByTest() throws Exception {
    Element pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(ROOT.resolve("pom.xml").toFile()).getDocumentElement();
    Map<String, Element> byTest = new HashMap<>();
    NodeList executions = pom.getElementsByTagName("execution");
    for (int i = 0; i < executions.getLength(); i++) {
      Element execution = (Element) executions.item(i);
      if (text(execution, "id").startsWith("fuzz-")) {
        byTest.put(text(execution, "test"), execution);
      }
    }
    return byTest;
  }

  private static Element first(Element parent, String tag) {
    NodeList found = parent.getElementsByTagName(tag);
    return found.getLength() == 0 ? null : (Element) found.item(0);
  }

  private static String text(Element parent, String tag) {
    Element element = first(parent, tag);
    return element == null ? "" : element.getTextContent().trim();
  }

  private static Map<String, String> children(Element parent) {
    Map<String, String> values = new HashMap<>();
    if (parent != null) {
      for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e) {
          values.put(e.getTagName(), e.getTextContent().trim());
        }
      }
    }
    return values;
  }
}
