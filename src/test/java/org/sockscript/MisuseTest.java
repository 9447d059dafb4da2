package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sockscript.LoopbackPair.WAIT;

import java.net.BindException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.LogCapture;

/** DESIGN §7: misuse throws IllegalArgumentException / IllegalStateException naming the offending value. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MisuseTest {

  @Test
  void nullArgumentsAreNamed() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      SocketRegistry s = pair.client;
      assertIae(() -> s.open(null), "socket == null");
      assertIae(() -> s.open(null, new RecordingListener()), "socket == null");
      assertIae(() -> s.open(name + "|2", null), "listener == null");
      assertIae(() -> s.write(null, "x"), "socket == null");
      assertIae(() -> s.write(name, (String) null), "data == null");
      assertIae(() -> s.write(name, (byte[]) null), "data == null");
      assertIae(() -> s.write(name, (String) null, null), "data == null");
      assertIae(() -> s.read(null, Chunk.lines(1)), "socket == null");
      assertIae(() -> s.read(name, null), "chunk == null");
      assertIae(() -> s.readBytes(name, null), "chunk == null");
      assertIae(() -> s.read(name, Chunk.lines(1), null), "callback == null");
      assertIae(() -> s.close(null), "socket == null");
      assertIae(() -> s.accept(0, null), "listener == null");
      assertThat(s.openSockets()).containsExactly(name);
    }
  }

  @Test
  void chunksRejectCountsBelowOneAndEmptyDelimiters() {
    assertIae(() -> Chunk.bytes(0), "count must be at least 1, was 0");
    assertIae(() -> Chunk.chars(-1), "count must be at least 1, was -1");
    assertIae(() -> Chunk.lines(0), "count must be at least 1, was 0");
    assertIae(() -> Chunk.items(0), "count must be at least 1, was 0");
    assertIae(() -> Chunk.words(-5), "count must be at least 1, was -5");
    assertIae(() -> Chunk.until(""), "delimiter must be a non-empty string, was \"\"");
    assertIae(() -> Chunk.until(null), "delimiter must be a non-empty string, was null");
  }

  @Test
  void verbsOnAnUnknownSocketSayItIsNotOpen() throws Exception {
    try (SocketRegistry s = new SocketRegistry()) {
      assertIse(() -> s.write("nope:1", "x"), "socket is not open: \"nope:1\"");
      assertIse(() -> s.write("nope:1", new byte[1], null), "socket is not open: \"nope:1\"");
      assertIse(() -> s.read("nope:1", Chunk.lines(1)), "socket is not open: \"nope:1\"");
      assertIse(() -> s.read("nope:1", Chunk.lines(1), (n, d) -> { }), "socket is not open: \"nope:1\"");
      assertIse(() -> s.close("nope:1"), "socket is not open: \"nope:1\"");
      assertIse(() -> s.hostAddress("nope:1"), "socket is not open: \"nope:1\"");
      assertIse(() -> s.secure("nope:1"), "socket is not open: \"nope:1\"");
    }
  }

  @Test
  void openingANameThatIsOpenIsRefused() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("|a");
      assertIse(() -> pair.client.open(name), "socket is already open: \"" + name + "\"");
      assertIse(() -> pair.client.open(name, new RecordingListener()), "socket is already open: \"" + name + "\"");
      assertThat(pair.client.openSockets()).containsExactly(name);
    }
  }

  @Test
  void connectionVerbsOnAListenerNameAreRefused() throws Exception {
    try (SocketRegistry s = new SocketRegistry()) {
      String listener = s.accept(0, new RecordingListener());
      String expected = "\"" + listener + "\" is a listener";
      assertThatThrownBy(() -> s.write(listener, "x")).isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith(expected);
      assertThatThrownBy(() -> s.read(listener, Chunk.lines(1))).isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith(expected);
      assertThatThrownBy(() -> s.secure(listener)).isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith(expected);
      assertThat(s.openSockets()).containsExactly(listener);
    }
  }

  @Test
  void verbsAfterCloseSayTheSocketIsNotOpen() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      pair.client.close(name);
      assertIse(() -> pair.client.write(name, "late\n"), "socket is not open: \"" + name + "\"");
      assertIse(() -> pair.client.read(name, Chunk.available()), "socket is not open: \"" + name + "\"");
      assertIse(() -> pair.client.secure(name), "socket is not open: \"" + name + "\"");
    }
  }

  @Test
  void badPropertyValuesAreRefused() throws Exception {
    try (SocketRegistry s = new SocketRegistry()) {
      assertIae(() -> s.setSocketTimeoutInterval(Duration.ZERO), "socketTimeoutInterval must be positive, was PT0S");
      assertIae(() -> s.setSocketTimeoutInterval(null), "socketTimeoutInterval must be positive, was null");
      assertIae(() -> s.setInboundLimit(10), "inboundLimit must be at least 1024 bytes, was 10");
      assertThat(s.socketTimeoutInterval()).isEqualTo(Duration.ofSeconds(10));
    }
  }

  @Test
  void acceptRefusesBadAndBusyPorts() throws Exception {
    try (SocketRegistry first = new SocketRegistry(); SocketRegistry second = new SocketRegistry()) {
      assertThatThrownBy(() -> first.accept(70000, new RecordingListener()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a valid port: 70000");
      String port = first.accept(0, new RecordingListener());
      assertThatThrownBy(() -> second.accept(Integer.parseInt(port), new RecordingListener()))
          .isInstanceOf(BindException.class).hasMessageContaining(port);
      assertThat(second.openSockets()).isEmpty();
    }
  }

  @Test
  void aThrowingListenerHarmsNeitherTheSocketNorTheLoop() throws Exception {
    try (LogCapture log = LogCapture.startQuiet();
        SocketRegistry server = new SocketRegistry(); SocketRegistry client = new SocketRegistry()) {
      ThrowingListener serverSide = new ThrowingListener();
      ThrowingListener clientSide = new ThrowingListener();
      String port = server.accept(0, serverSide);
      for (String name : new String[] {"127.0.0.1:" + port, "127.0.0.1:" + port + "|2"}) {
        client.open(name, clientSide);
        clientSide.awaitEvent("connected " + name, WAIT);
        String peer = client.hostAddress(name);
        serverSide.awaitEvent("newConnection " + peer + " ", WAIT);
        client.write(name, "still works\n");
        assertThat(server.read(peer, Chunk.lines(1))).isEqualTo("still works\n");
        server.write(peer, "and back\n");
        assertThat(client.read(name, Chunk.lines(1))).isEqualTo("and back\n");
      }
      assertThat(client.openSockets()).hasSize(2);
      long deadline = System.nanoTime() + WAIT.toNanos(); // each report follows its event by a moment
      while (log.problems().size() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(log.problems()).as("what was logged:%n%s", log.text())
          .hasSize(4).allMatch(line -> line.endsWith("sockscript: a listener or callback threw; the socket carries on"));
      assertThat(log.text()).contains("listener bug in connected (expected by the test)",
          "listener bug in newConnection (expected by the test)");
    }
  }

  /** Records each event, then throws from it. */
  private static final class ThrowingListener extends RecordingListener {
    @Override
    public void connected(String socket) {
      super.connected(socket);
      throw new IllegalStateException("listener bug in connected (expected by the test)");
    }

    @Override
    public void newConnection(String socket, String listenerName) {
      super.newConnection(socket, listenerName);
      throw new IllegalStateException("listener bug in newConnection (expected by the test)");
    }
  }

  private interface Call {
    void run() throws Exception;
  }

  private static void assertIae(Call call, String message) {
    assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  private static void assertIse(Call call, String message) {
    assertThatThrownBy(call::run).isInstanceOf(IllegalStateException.class).hasMessage(message);
  }
}
