package org.sockscript;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The published javadoc lists the packages module-info exports: each needs a description with an
 * example (a package without package-info.java shows a blank line in the module's package list),
 * and none of them is internal.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ApiDocsTest {

  private static final Path SOURCES = Path.of("src/main/java").toAbsolutePath();
  private static final Pattern EXPORTS = Pattern.compile("(?m)^\\s*exports\\s+([\\w.]+)\\s*;");
  /** A Javadoc comment right before the package declaration, holding a code example. */
  private static final Pattern DESCRIBED =
      Pattern.compile("(?s)^/\\*\\*.*<pre>\\{@code.*\\*/\\s*package\\s+[\\w.]+;\\s*$");

  @Test
  void everyExportedPackageHasADescriptionWithAnExample() throws Exception {
    List<String> exported = exportedPackages();
    assertThat(exported).as("module-info.java's exports").contains("org.sockscript");

    for (String pkg : exported) {
      Path info = SOURCES.resolve(pkg.replace('.', '/')).resolve("package-info.java");
      assertThat(info).as("the package description of %s", pkg).exists();
      assertThat(Files.readString(info, UTF_8).strip()).as("%s: a Javadoc comment with <pre>{@code ...}", info)
          .matches(DESCRIBED);
    }
  }

  @Test
  void noInternalPackageIsExported() throws Exception {
    assertThat(exportedPackages()).noneMatch(p -> p.contains(".internal"));
  }

  private static List<String> exportedPackages() throws Exception {
    String descriptor = Files.readString(SOURCES.resolve("module-info.java"), UTF_8);
    return EXPORTS.matcher(descriptor).results().map(m -> m.group(1)).toList();
  }
}
