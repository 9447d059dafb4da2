package org.sockscript.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests against real peers the project did not write ({@code socat}, {@code openssl}) need those
 * programs. {@code .ci/run} installs them, so in CI they always run; on a fresh machine with only
 * a JDK and Maven such a test is skipped, saying what to install, instead of failing.
 */
public final class InstalledPeers {

  private InstalledPeers() {}

  /** Skips the calling test unless {@code program} (a name on PATH, or a path) can be run. */
  public static void assume(String program) {
    Assumptions.assumeTrue(installed(program), () -> program + " is not installed: skipping a test"
        + " against a real " + program + " peer (.ci/run installs it: apt-get install -y " + program + ")");
  }

  static boolean installed(String program) {
    if (program.contains(File.separator)) {
      return Files.isExecutable(Path.of(program));
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
