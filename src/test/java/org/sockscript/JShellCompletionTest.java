package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import jdk.jshell.JShell;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * JShell is where scripts are tried out, and Tab is how a newcomer finds the verbs: Tab after
 * {@code sockets.} lists every public verb of {@link SocketRegistry}, including those declared in
 * the classes it is split into (JDK 17's JShell leaves out methods inherited from a class that is
 * not public).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JShellCompletionTest {

  @Test
  void tabAfterSocketsListsEveryPublicVerbOfTheRegistry() {
    Set<String> verbs = new TreeSet<>();
    for (Method m : SocketRegistry.class.getMethods()) {
      if (m.getDeclaringClass() != Object.class && !Modifier.isStatic(m.getModifiers())) {
        verbs.add(m.getName());
      }
    }
    try (JShell jshell = JShell.builder()
        .remoteVMOptions("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn").build()) {
      jshell.addToClasspath(System.getProperty("java.class.path"));
      SnippetEvent declared = jshell.eval("org.sockscript.SocketRegistry sockets = null;").get(0);
      assertThat(declared.status()).as("%s", jshell.diagnostics(declared.snippet()).toList())
          .isEqualTo(jdk.jshell.Snippet.Status.VALID);

      String typed = "sockets.";
      Set<String> offered = new TreeSet<>();
      jshell.sourceCodeAnalysis().completionSuggestions(typed, typed.length(), new int[1])
          .forEach(s -> offered.add(s.continuation().replaceAll("\\(\\)?$", "")));

      Set<String> missing = new TreeSet<>(verbs);
      missing.removeAll(offered);
      assertThat(missing).as("verbs Tab does not offer after %s (offered: %s)", typed, offered).isEmpty();
      assertThat(verbs).contains("setSocketTimeoutInterval", "setSslCertificates", "openDatagram", "open");
    }
  }
}
