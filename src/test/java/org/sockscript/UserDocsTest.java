package org.sockscript;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a user reads (README, CHANGELOG, BENCHMARKS, docs/, the samples) describes the library and
 * its targets in its own words: it never points at the project's internal issue numbers, which a
 * reader of a release cannot look up.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class UserDocsTest {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Pattern ISSUE_NUMBER = Pattern.compile("(?i)\\bissues?[ -]?#?\\d+");

  @Test
  void userDocsNameNoIssueNumbers() throws Exception {
    List<String> found = new ArrayList<>();
    for (Path file : userDocs()) {
      List<String> lines = Files.readAllLines(file, UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (ISSUE_NUMBER.matcher(lines.get(i)).find()) {
          found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
      }
    }
    assertThat(found).as("lines naming an issue number; describe the target instead").isEmpty();
  }

  private static List<Path> userDocs() throws Exception {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CHANGELOG.md"),
        ROOT.resolve("BENCHMARKS.md")));
    for (String folder : List.of("docs", "samples")) {
      try (Stream<Path> listed = Files.list(ROOT.resolve(folder))) {
        listed.filter(p -> p.toString().endsWith(".md") || p.toString().endsWith(".jsh")).sorted().forEach(files::add);
      }
    }
    return files;
  }
}
