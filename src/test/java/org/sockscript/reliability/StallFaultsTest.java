package org.sockscript.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sockscript.reliability.FaultHarness.WAIT;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.testing.FaultPeer;
import org.sockscript.testing.FaultPeer.Fault;
import org.sockscript.testing.LeakCheck;

/** A peer that goes silent forever, before or after the upgrade: timeouts, not hangs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StallFaultsTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);

  @Test
  void stallBeforeTheUpgradeTimesOutTheReadThenTheHandshake() throws Exception {
    FaultHarness h = FaultHarness.start();
    h.sockets.setSocketTimeoutInterval(TIMEOUT);
    try (FaultPeer peer = h.peer(Fault.STALL_BEFORE_UPGRADE)) {
      LeakCheck.Counts beforeSocket = h.checkpoint();
      String name = peer.name("");
      assertThat(h.openAndGreet(name)).isEqualTo(FaultPeer.GREETING);
      h.sockets.write(name, "STARTTLS\r\n");

      assertThatThrownBy(() -> h.sockets.read(name, Chunk.until("\r\n")))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessage("timeout: no data for 500 ms reading until \"\\r\\n\" from " + name + " (0 bytes buffered)");
      assertThat(h.sockets.openSockets()).contains(name); // a read timeout is not fatal

      h.sockets.secure(name, true, "localhost"); // the script goes ahead anyway
      assertThat(h.events.awaitEvent("socketError " + name, WAIT))
          .isEqualTo("socketError " + name + ": handshake timeout: not complete after 500 ms (" + name + ")");
      assertThat(h.sockets.openSockets()).doesNotContain(name);
      assertThat(peer.received()).startsWith("STARTTLS\r\n\u0016"); // then a ClientHello that got no answer
      h.sockets.close(name);
      h.assertReleasedSince(beforeSocket, "the stalled socket");
      h.assertStillServes();
    }
    h.closeAndAssertNoLeak("stallBeforeTheUpgrade");
  }

  @Test
  void stallAfterTheUpgradeTimesOutReadsButKeepsTheSecureSocket() throws Exception {
    FaultHarness h = FaultHarness.start();
    h.sockets.setSocketTimeoutInterval(TIMEOUT);
    try (FaultPeer peer = h.peer(Fault.STALL_AFTER_UPGRADE)) {
      LeakCheck.Counts beforeSocket = h.checkpoint();
      String name = h.upgrade(peer.name(""));
      h.sockets.write(name, "HELLO\r\n");
      assertThat(peer.awaitReceived("HELLO\r\n", WAIT)).isTrue();

      assertThatThrownBy(() -> h.sockets.read(name, Chunk.until("\r\n")))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessage("timeout: no data for 500 ms reading until \"\\r\\n\" from " + name + " (0 bytes buffered)");
      h.sockets.read(name, Chunk.until("\r\n"), h.events.readRecorder());
      h.events.awaitEvent("socketTimeout " + name, WAIT);

      assertThat(h.sockets.openSockets()).contains(name);
      assertThat(h.sockets.tlsInfo(name).verified()).isTrue();
      h.sockets.write(name, "STILL SECURE\r\n"); // the stalled socket still takes writes
      assertThat(peer.awaitReceived("STILL SECURE\r\n", WAIT)).isTrue();
      assertThat(h.events.events()).noneMatch(e -> e.startsWith("socketError") || e.startsWith("read "));
      h.sockets.close(name);
      h.assertReleasedSince(beforeSocket, "the stalled secure socket");
      h.assertStillServes();
    }
    h.closeAndAssertNoLeak("stallAfterTheUpgrade");
  }
}
