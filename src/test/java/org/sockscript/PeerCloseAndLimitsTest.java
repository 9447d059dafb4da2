package org.sockscript;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sockscript.LoopbackPair.WAIT;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.LineServer;
import org.sockscript.testing.Loopback;
import org.sockscript.testing.SilentServer;
import org.sockscript.testing.UnacceptingServer;

/** A peer that hangs up mid-read, the inbound limit, connect and read timeouts, refused and unknown hosts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerCloseAndLimitsTest {

  private static final Duration TIMEOUT = Duration.ofMillis(700);

  @Test
  void peerClosingMidReadGivesEofWithThePartialText() throws Exception {
    try (LineServer peer = LineServer.start(sendAfterGo("partial")); SocketRegistry sockets = new SocketRegistry()) {
      String name = "127.0.0.1:" + peer.port();
      sockets.open(name);
      sockets.write(name, "go\n");
      assertThatThrownBy(() -> sockets.read(name, Chunk.until("\r\n")))
          .isInstanceOfSatisfying(SocketEofException.class, eof -> {
            assertThat(eof.partialText()).isEqualTo("partial");
            assertThat(eof.partialBytes()).isEqualTo("partial".getBytes(ISO_8859_1));
          })
          .hasMessageStartingWith("eof");
    }
  }

  @Test
  void peerClosingMidCallbackReadDeliversThePartialTextThenSocketClosed() throws Exception {
    try (LineServer peer = LineServer.start(sendAfterGo("partial")); SocketRegistry sockets = new SocketRegistry()) {
      RecordingListener events = new RecordingListener();
      String name = "127.0.0.1:" + peer.port();
      sockets.open(name, events);
      events.awaitEvent("connected " + name, WAIT);
      sockets.read(name, Chunk.until("\r\n"), events.readRecorder());
      sockets.write(name, "go\n");
      events.awaitEvent("socketClosed " + name, WAIT);
      assertThat(events.events()).containsExactly(
          "connected " + name, "read " + name + ": partial", "socketClosed " + name);
      assertThat(sockets.openSockets()).contains(name); // half-closed: writable until the script closes it
    }
  }

  @Test
  void socketClosedWaitsUntilTheBufferedDataIsRead() throws Exception {
    try (LineServer peer = LineServer.start(s -> write(s.getOutputStream(), "abc\r\n"));
         SocketRegistry sockets = new SocketRegistry()) {
      RecordingListener events = new RecordingListener();
      String name = "127.0.0.1:" + peer.port();
      sockets.open(name, events);
      events.awaitEvent("connected " + name, WAIT);
      assertThat(events.eventWithin("socketClosed", Duration.ofMillis(500))).isEmpty();
      assertThat(sockets.openSockets()).containsExactly(name);
      assertThat(sockets.read(name, Chunk.until("\r\n"))).isEqualTo("abc\r\n");
      events.awaitEvent("socketClosed " + name, WAIT);
      sockets.close(name); // the peer's end of data is not ours: the script closes its side
      assertThat(sockets.openSockets()).isEmpty();
    }
  }

  @Test
  void readUntilEndAfterThePeerClosedReturnsWhatIsLeftEvenIfNothing() throws Exception {
    try (LineServer peer = LineServer.start(s -> write(s.getOutputStream(), "abc"));
         SocketRegistry sockets = new SocketRegistry()) {
      RecordingListener events = new RecordingListener();
      String name = "127.0.0.1:" + peer.port();
      sockets.open(name, events);
      assertThat(sockets.read(name, Chunk.bytes(3))).isEqualTo("abc");
      events.awaitEvent("socketClosed " + name, WAIT);
      // Had this read been issued a moment earlier it would have returned "": same script, same answer.
      assertThat(sockets.read(name, Chunk.untilEnd())).isEmpty();
    }
  }

  @Test
  void blockingReadOutgrowingTheInboundLimitFails() throws Exception {
    try (LineServer peer = LineServer.start(PeerCloseAndLimitsTest::flood); SocketRegistry sockets = new SocketRegistry()) {
      sockets.setInboundLimit(64 * 1024);
      String name = "127.0.0.1:" + peer.port();
      sockets.open(name);
      assertThatThrownBy(() -> sockets.read(name, Chunk.until("\n")))
          .isInstanceOf(IOException.class).isNotInstanceOf(SocketEofException.class)
          .hasMessageContaining("inbound limit").hasMessageContaining("65536");
      assertThat(sockets.openSockets()).doesNotContain(name);
    }
  }

  @Test
  void callbackReadOutgrowingTheInboundLimitIsASocketError() throws Exception {
    try (LineServer peer = LineServer.start(PeerCloseAndLimitsTest::flood); SocketRegistry sockets = new SocketRegistry()) {
      sockets.setInboundLimit(64 * 1024);
      RecordingListener events = new RecordingListener();
      String name = "127.0.0.1:" + peer.port();
      sockets.open(name, events);
      events.awaitEvent("connected " + name, WAIT);
      sockets.read(name, Chunk.until("\n"), events.readRecorder());
      assertThat(events.awaitEvent("socketError " + name, WAIT))
          .contains("inbound limit of 65536 bytes");
      assertThat(events.events()).noneMatch(e -> e.startsWith("read "));
    }
  }

  @Test
  void connectToAPeerThatNeverAcceptsTimesOut() throws Exception {
    try (UnacceptingServer peer = UnacceptingServer.start(); SocketRegistry sockets = new SocketRegistry()) {
      sockets.setSocketTimeoutInterval(TIMEOUT);
      long start = System.nanoTime();
      assertThatThrownBy(() -> sockets.open("127.0.0.1:" + peer.port()))
          .isInstanceOf(SocketTimeoutException.class).hasMessageStartingWith("can't connect to host");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(600), Duration.ofSeconds(5));

      RecordingListener events = new RecordingListener();
      String name = "127.0.0.1:" + peer.port() + "|callback";
      sockets.open(name, events);
      events.awaitEvent("socketTimeout " + name, WAIT);
      assertThat(events.events()).containsExactly("socketTimeout " + name);
    }
  }

  @Test
  void anOpenThatTimedOutNoLongerHoldsItsName() throws Exception {
    try (UnacceptingServer peer = UnacceptingServer.start(); SocketRegistry sockets = new SocketRegistry()) {
      sockets.setSocketTimeoutInterval(Duration.ofMillis(200));
      String name = "127.0.0.1:" + peer.port();
      for (int attempt = 1; attempt <= 15; attempt++) {  // the release races the exception: try a few times
        assertThatThrownBy(() -> sockets.open(name)).isInstanceOf(SocketTimeoutException.class);
        assertThat(sockets.openSockets()).as("open sockets right after timed-out attempt %d", attempt).isEmpty();
      }
    }
  }

  @Test
  void blockingReadFromASilentPeerTimesOut() throws Exception {
    try (SilentServer peer = SilentServer.start(); SocketRegistry sockets = new SocketRegistry()) {
      sockets.setSocketTimeoutInterval(TIMEOUT);
      String name = "127.0.0.1:" + peer.port();
      sockets.open(name);
      long start = System.nanoTime();
      assertThatThrownBy(() -> sockets.read(name, Chunk.until("\r\n")))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessageStartingWith("timeout: no data for 700 ms reading until");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(600), Duration.ofSeconds(5));
      assertThat(sockets.openSockets()).containsExactly(name);
    }
  }

  @Test
  void callbackReadFromASilentPeerGetsSocketTimeoutAndStaysOpen() throws Exception {
    try (SilentServer peer = SilentServer.start(); SocketRegistry sockets = new SocketRegistry()) {
      sockets.setSocketTimeoutInterval(TIMEOUT);
      RecordingListener events = new RecordingListener();
      String name = "127.0.0.1:" + peer.port();
      sockets.open(name, events);
      events.awaitEvent("connected " + name, WAIT);
      sockets.read(name, Chunk.until("\r\n"), events.readRecorder());
      events.awaitEvent("socketTimeout " + name, WAIT);
      assertThat(sockets.openSockets()).containsExactly(name);
      sockets.write(name, "still here\r\n");
      assertThat(peer.awaitReceived(12, WAIT)).isTrue();
      assertThat(new String(peer.received(), ISO_8859_1)).isEqualTo("still here\r\n");
    }
  }

  @Test
  void connectToAClosedPortIsRefused() throws Exception {
    try (SocketRegistry sockets = new SocketRegistry()) {
      String name = "127.0.0.1:" + Loopback.freePort();
      assertThatThrownBy(() -> sockets.open(name))
          .isInstanceOf(ConnectException.class).hasMessageStartingWith("can't connect to host");
      assertThat(sockets.openSockets()).isEmpty();
    }
  }

  @Test
  void unresolvableHostIsReportedByName() throws Exception {
    try (SocketRegistry sockets = new SocketRegistry()) {
      assertThatThrownBy(() -> sockets.open("no-such-host.invalid:80"))
          .isInstanceOf(UnknownHostException.class)
          .hasMessage("can't resolve hostname: no-such-host.invalid");
      assertThat(sockets.openSockets()).isEmpty();
    }
  }

  /** Waits for the client's "go" line, then sends {@code text} and hangs up. */
  private static LineServer.Handler sendAfterGo(String text) {
    return s -> {
      LineServer.readLine(s.getInputStream());
      Thread.sleep(100);  // the client's read is waiting by now
      write(s.getOutputStream(), text);
    };
  }

  /** Sends 200 KiB without a line end, then stays open until the client goes. */
  private static void flood(java.net.Socket s) throws IOException {
    write(s.getOutputStream(), "x".repeat(200 * 1024));
    LineServer.readLine(s.getInputStream());
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(ISO_8859_1));
    out.flush();
  }
}
