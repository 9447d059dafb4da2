package org.sockscript.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.RecordingListener;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.Loopback;
import org.sockscript.testing.Socat;

/**
 * A peer (socat) answers STARTTLS with {@code 220 go ahead} and hangs up before the script calls
 * {@code secure}. Whether the hang-up lands before or after the call, the script sees the same
 * thing: an IOException naming the hang-up and one socketError — never an IllegalStateException,
 * from any verb on the ended name.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetworkEndIsNotMisuseTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String HANG_UP = "the peer closed the connection during the TLS handshake";

  @Test
  void secureAfterTheHangUpHasLandedIsAnIoFailureWithOneSocketError() throws Exception {
    goAheadThenHangUp(true);
  }

  @Test
  void secureRightAfterTheReplyIsTheSameIoFailureWithOneSocketError() throws Exception {
    goAheadThenHangUp(false);
  }

  @Test
  void everyVerbOnANameTheNetworkEndedThrowsItsIoException() throws Exception {
    try (Socat peer = Socat.listen("SYSTEM:echo 220 go ahead; sleep 0.2"); SocketRegistry sockets = new SocketRegistry()) {
      RecordingListener events = new RecordingListener();
      String name = Loopback.HOST + ":" + peer.port();
      sockets.open(name, events);
      assertThat(sockets.read(name, Chunk.until("\n"))).isEqualTo("220 go ahead\n");
      sockets.secure(name, false, null);
      events.awaitEvent("socketError " + name, WAIT);

      assertThatThrownBy(() -> sockets.secure(name)).isInstanceOf(SSLHandshakeException.class).hasMessageContaining(HANG_UP);
      assertThatThrownBy(() -> sockets.write(name, "x", null))
          .isInstanceOf(UncheckedIOException.class).hasMessageContaining(HANG_UP)
          .hasCauseInstanceOf(SSLHandshakeException.class);
      assertThatThrownBy(() -> sockets.write(name, new byte[1], null))
          .isInstanceOf(UncheckedIOException.class).hasMessageContaining(HANG_UP);
      assertThatThrownBy(() -> sockets.read(name, Chunk.lines(1), (s, line) -> { }))
          .isInstanceOf(UncheckedIOException.class).hasMessageContaining(HANG_UP);
      assertThatThrownBy(() -> sockets.write(name, "x")).isInstanceOf(SSLHandshakeException.class).hasMessageContaining(HANG_UP);
      assertThatThrownBy(() -> sockets.readBytes(name, Chunk.bytes(1))).isInstanceOf(SSLHandshakeException.class);
      assertThatThrownBy(() -> sockets.inputStream(name).read()).isInstanceOf(SSLHandshakeException.class);
      assertThatThrownBy(() -> sockets.tlsInfo(name)).isInstanceOf(SSLHandshakeException.class).hasMessageContaining(HANG_UP);
      assertThatThrownBy(() -> sockets.openSecureResuming(name + "|data", name)) // its session, as FTPS would
          .isInstanceOf(SSLHandshakeException.class).hasMessageContaining(HANG_UP);
      assertThat(sockets.openSockets()).doesNotContain(name + "|data");
      assertThat(sockets.peerAddress(name)).isEqualTo(name);
      sockets.close(name); // tidying up an ended name is no error either
      assertThat(events.events()).filteredOn(e -> e.startsWith("socketError")).hasSize(1);
    }
  }

  private static void goAheadThenHangUp(boolean waitForTheHangUp) throws Exception {
    try (Socat peer = Socat.listen("SYSTEM:echo 220 go ahead; sleep 0.2"); SocketRegistry sockets = new SocketRegistry()) {
      RecordingListener events = new RecordingListener();
      String name = Loopback.HOST + ":" + peer.port();
      sockets.open(name, events);
      sockets.write(name, "STARTTLS\r\n");
      assertThat(sockets.read(name, Chunk.until("\n"))).isEqualTo("220 go ahead\n");
      if (waitForTheHangUp) {
        events.awaitEvent("socketClosed " + name, WAIT); // the hang-up has landed and been read
      }
      assertThatThrownBy(() -> { // from secure itself, or from the first verb after it
        sockets.secure(name, true, "localhost");
        sockets.read(name, Chunk.until("\r\n"));
      }).isInstanceOf(SSLHandshakeException.class).hasMessage(HANG_UP + " (" + name + ")");
      assertThat(events.awaitEvent("socketError " + name, WAIT)).isEqualTo("socketError " + name + ": " + HANG_UP + " (" + name + ")");
      Thread.sleep(200);
      assertThat(events.events()).filteredOn(e -> e.startsWith("socketError")).hasSize(1);
    }
  }
}
