package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.Socat;

/**
 * socat as a peer the project did not write. Without socat installed these fail ("socat not
 * installed: run apt-get install -y socat"): they never skip.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocatPeerTest {

  @Test
  void echoServerReturnsAHundredLinesInOrder() throws Exception {
    try (Socat socat = Socat.echoServer(); SocketRegistry sockets = new SocketRegistry()) {
      String name = "127.0.0.1:" + socat.port();
      sockets.open(name);
      for (int i = 0; i < 100; i++) {
        sockets.write(name, "line " + i + " of 100\n");
      }
      for (int i = 0; i < 100; i++) {
        assertThat(sockets.read(name, Chunk.lines(1))).isEqualTo("line " + i + " of 100\n");
      }
      assertThat(sockets.read(name, Chunk.available())).isEmpty();
    }
  }

  @Test
  void echoServerReturnsAMebibyteOfRandomBytesUnchanged() throws Exception {
    byte[] data = new byte[1 << 20];
    new Random(7).nextBytes(data);
    try (Socat socat = Socat.echoServer(); SocketRegistry sockets = new SocketRegistry()) {
      String name = "localhost:" + socat.port();
      sockets.open(name);
      sockets.write(name, data);
      assertThat(sockets.readBytes(name, Chunk.bytes(data.length))).isEqualTo(data);
    }
  }

  @Test
  void lineServerAnswersEachLineWithThePrefixedLine() throws Exception {
    try (Socat socat = Socat.lineServer(); SocketRegistry sockets = new SocketRegistry()) {
      String name = "127.0.0.1:" + socat.port();
      sockets.open(name);
      for (String line : new String[] {"HELO me", "MAIL FROM:<a@example.com>", "QUIT"}) {
        sockets.write(name, line + "\r\n");
        assertThat(sockets.read(name, Chunk.until("\r\n"))).isEqualTo("echo: " + line + "\r\n");
      }
    }
  }

  @Test
  void lineServerAnswersCallbackReadsInIssueOrder() throws Exception {
    try (Socat socat = Socat.lineServer(); SocketRegistry sockets = new SocketRegistry()) {
      RecordingListener events = new RecordingListener();
      String name = "127.0.0.1:" + socat.port() + "|callbacks";
      sockets.open(name, events);
      events.awaitEvent("connected " + name, LoopbackPair.WAIT);
      sockets.write(name, "one\ntwo\n", events.writeRecorder());
      sockets.read(name, Chunk.lines(1), events.readRecorder());
      sockets.read(name, Chunk.lines(1), events.readRecorder());
      events.awaitEvents("read ", 2, LoopbackPair.WAIT);
      assertThat(events.events()).containsExactly("connected " + name, "written " + name,
          "read " + name + ": echo: one\n", "read " + name + ": echo: two\n");
    }
  }
}
