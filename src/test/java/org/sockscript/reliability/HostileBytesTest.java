package org.sockscript.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sockscript.reliability.FaultHarness.WAIT;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.SocketEofException;
import org.sockscript.testing.FaultPeer;
import org.sockscript.testing.FaultPeer.Fault;
import org.sockscript.testing.LeakCheck;

/** Bytes a script must never be handed: plaintext where TLS belongs, and a line that never ends. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileBytesTest {

  private static final int DEFAULT_INBOUND_LIMIT = 16 * 1024 * 1024;

  @Test
  void garbageInsteadOfTlsFailsTheUpgradeAndNeverReachesTheScript() throws Exception {
    FaultHarness h = FaultHarness.start();
    try (FaultPeer peer = h.peer(Fault.GARBAGE_AFTER_STARTTLS)) {
      LeakCheck.Counts beforeSocket = h.checkpoint();
      String name = h.upgrade(peer.name(""));

      assertThatThrownBy(() -> h.sockets.read(name, Chunk.until("\r\n")))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageStartingWith("the TLS handshake received plaintext \"HTTP/1.1 400 this is not a TLS record\"")
          .hasMessageEndingWith("(" + name + ")");
      assertThat(h.events.awaitEvent("socketError " + name, WAIT))
          .startsWith("socketError " + name + ": the TLS handshake received plaintext \"HTTP/1.1 400");
      // the garbage is quoted in the reason as evidence (its first line), never delivered as data
      assertThat(h.events.events()).filteredOn(e -> !e.startsWith("socketError"))
          .noneMatch(e -> e.contains("HTTP/1.1") || e.startsWith("secured"));
      assertThat(h.events.events()).filteredOn(e -> e.startsWith("socketError")).hasSize(1);
      assertThat(h.sockets.openSockets()).doesNotContain(name);
      h.sockets.close(name);
      h.assertReleasedSince(beforeSocket, "the socket that got garbage");
      h.assertStillServes();
    }
    h.closeAndAssertNoLeak("garbageAfterStarttls");
  }

  @Test
  void hugeLineWithoutDelimiterFailsAtTheInboundLimitAndThePeerIsCutOff() throws Exception {
    FaultHarness h = FaultHarness.start();
    try (FaultPeer peer = h.peer(Fault.HUGE_LINE)) {
      LeakCheck.Counts beforeSocket = h.checkpoint();
      String name = h.upgrade(peer.name(""));

      assertThatThrownBy(() -> h.sockets.read(name, Chunk.until("\r\n")))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(SocketEofException.class)
          .hasMessageMatching("read until \"\\\\r\\\\n\" on " + name.replace(".", "\\.")
              + " needs more than the inbound limit of 16777216 bytes \\(\\d+ bytes buffered without completing it\\)");
      assertThat(h.events.awaitEvent("socketError " + name, WAIT))
          .contains("needs more than the inbound limit of 16777216 bytes");
      assertThat(h.sockets.openSockets()).doesNotContain(name);
      h.sockets.close(name);
      h.assertReleasedSince(beforeSocket, "the socket that overflowed");
      h.assertStillServes();
      peer.close(); // returns once the streaming thread has stopped
      System.out.printf("HUGE_LINE: the peer got %d of %d bytes out before it was cut off%n",
          peer.streamedBytes(), FaultPeer.HUGE_LINE_BYTES);
      assertThat(peer.streamedBytes()).isBetween((long) DEFAULT_INBOUND_LIMIT, FaultPeer.HUGE_LINE_BYTES - 1);
    }
    h.closeAndAssertNoLeak("hugeLine");
  }
}
