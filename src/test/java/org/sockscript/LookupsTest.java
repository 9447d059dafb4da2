package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sockscript.testing.Registries;

/** LiveCode's lookup functions: hostAddressToName, hostNameToAddress with a callback, hostName. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LookupsTest {

  @RegisterExtension final Registries registries = new Registries();
  private final SocketRegistry sockets = registries.add(new SocketRegistry());

  @Test
  void hostAddressToNameFindsLoopbacksName() throws Exception {
    assertThat(sockets.hostAddressToName("127.0.0.1")).isEqualTo("localhost"); // /etc/hosts
  }

  @Test
  void hostAddressToNameRefusesANameAndSaysWhenAnAddressHasNone() {
    assertThatThrownBy(() -> sockets.hostAddressToName("localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an IP address: \"localhost\" (hostAddressToName takes an address such as 127.0.0.1"
            + " or ::1; hostNameToAddress looks names up)");
    assertThatThrownBy(() -> sockets.hostAddressToName("192.0.2.1")) // TEST-NET-1: no name anywhere
        .isInstanceOf(UnknownHostException.class)
        .hasMessage("invalid host address: 192.0.2.1 has no name (no reverse DNS entry, or one whose name"
            + " does not map back to it)");
  }

  @Test
  void hostNameToAddressWithACallbackAnswersLaterOffTheCallersThread() throws Exception {
    CompletableFuture<String> answer = new CompletableFuture<>();
    Thread caller = Thread.currentThread();
    sockets.hostNameToAddress("localhost", (host, addresses) ->
        answer.complete((Thread.currentThread() == caller ? "caller " : "") + host + " " + addresses));
    assertThat(answer.get(10, TimeUnit.SECONDS)).startsWith("localhost [").contains("127.0.0.1");
    CompletableFuture<List<String>> none = new CompletableFuture<>();
    sockets.hostNameToAddress("no-such-host.invalid", (host, addresses) -> none.complete(addresses));
    assertThat(none.get(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void hostNameIsWhatTheHostnameCommandSays() throws Exception {
    Process p = new ProcessBuilder("hostname").start();
    String expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(sockets.hostName()).isEqualTo(expected);
  }
}
