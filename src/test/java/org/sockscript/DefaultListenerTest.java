package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.PythonPeer;
import org.sockscript.testing.TestPki;

/**
 * Sockets opened without a listener (blocking {@code open}/{@code openSecure}) report their
 * events to the registry's default listener, as LiveCode sends them to the object that opened
 * the socket: above all a failed {@code secure}, which LiveCode promises as {@code socketError}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DefaultListenerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestPki pki = TestPki.get();
  private final SocketRegistry server = new SocketRegistry();
  private final SocketRegistry client = new SocketRegistry();

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  @Test
  void aSecureFailureOnABlockingOpenedSocketReachesTheDefaultListener() throws Exception {
    server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
    String name = "localhost:" + server.accept(0, new RecordingListener(), true);
    RecordingListener defaults = new RecordingListener();
    client.setDefaultListener(defaults); // the client trusts only the JDK's roots: not the test root
    client.open(name);
    client.secure(name, true, "localhost");
    String error = defaults.awaitEvent("socketError " + name, WAIT);
    assertThat(error).startsWith("socketError " + name + ": certificate not trusted");
    assertThat(defaults.events()).containsExactly(error); // no connected: the blocking open returned instead
    assertThatThrownBy(() -> client.write(name, "x")).hasMessage(error.substring(error.indexOf(": ") + 2));
  }

  @Test
  void aBlockingOpenedSocketsSecuredAndSocketClosedReachTheDefaultListener() throws Exception {
    try (PythonPeer peer = PythonPeer.server("tls-send-then-end", pki.good().chainPem().toString(),
        pki.good().keyPem().toString(), "clean", "bye\r\n")) {
      client.setSslCertificates(java.util.List.of(pki.rootPem()));
      RecordingListener defaults = new RecordingListener();
      client.setDefaultListener(defaults);
      String name = "localhost:" + peer.port();
      client.openSecure(name, true, null);
      assertThat(client.read(name, Chunk.untilEnd())).isEqualTo("bye\r\n");
      defaults.awaitEvent("socketClosed " + name, WAIT);
      assertThat(defaults.events()).containsExactly("secured " + name + " TLSv1.3", "socketClosed " + name);
    }
  }

  @Test
  void aCallbackReadsTimeoutOnABlockingOpenedSocketReachesTheDefaultListener() throws Exception {
    String port = server.accept(0, new RecordingListener()); // accepts, then never writes
    RecordingListener defaults = new RecordingListener();
    client.setDefaultListener(defaults);
    client.setSocketTimeoutInterval(Duration.ofMillis(300));
    String name = "127.0.0.1:" + port;
    client.open(name);
    client.read(name, Chunk.lines(1), defaults.readRecorder());
    defaults.awaitEvent("socketTimeout " + name, WAIT);
    assertThat(defaults.events()).first().isEqualTo("socketTimeout " + name); // no data, no other event first
  }

  @Test
  void theDefaultListenerTakesTheSocketsOpenedAfterItIsSet() throws Exception {
    String port = server.accept(0, new SocketListener() {
      @Override
      public void newConnection(String socket, String listenerName) {
        server.close(socket); // hang up at once
      }
    });
    String before = "127.0.0.1:" + port;
    String after = "127.0.0.1:" + port + "|after";
    client.open(before);
    RecordingListener defaults = new RecordingListener();
    client.setDefaultListener(defaults); // as setListenerThreads: for sockets opened from now on
    client.open(after);
    assertThat(client.read(before, Chunk.untilEnd())).isEmpty();
    assertThat(client.read(after, Chunk.untilEnd())).isEmpty();
    defaults.awaitEvent("socketClosed " + after, WAIT);
    Thread.sleep(300); // time for a wrongly routed socketClosed of the first socket to show
    assertThat(defaults.events()).containsExactly("socketClosed " + after); // the first one's went to the log
  }
}
