package org.sockscript.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.sockscript.reliability.FaultHarness.WAIT;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.testing.FaultPeer;
import org.sockscript.testing.FaultPeer.Fault;
import org.sockscript.testing.LeakCheck;

/** A peer that resets the TCP connection mid-handshake or in the middle of a large write. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResetFaultsTest {

  @Test
  void resetDuringTheHandshakeFailsTheUpgradeOnceWithTheReason() throws Exception {
    FaultHarness h = FaultHarness.start();
    try (FaultPeer peer = h.peer(Fault.RESET_DURING_HANDSHAKE)) {
      LeakCheck.Counts beforeSocket = h.checkpoint();
      String name = h.upgrade(peer.name(""));

      Throwable thrown = catchThrowable(() -> h.sockets.read(name, Chunk.until("\r\n")));
      String error = h.events.awaitEvent("socketError " + name, WAIT);
      System.out.println("RESET_DURING_HANDSHAKE: read threw " + thrown + "; event: " + error);

      assertThat(thrown).isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("reset").hasMessageContaining(name);
      assertThat(error).contains("reset");
      assertThat(h.events.events()).filteredOn(e -> e.startsWith("socketError")).hasSize(1);
      assertThat(h.events.events()).noneMatch(e -> e.startsWith("secured"));
      assertThat(h.sockets.openSockets()).doesNotContain(name);
      h.sockets.close(name); // the script tidies up the ended name
      h.assertReleasedSince(beforeSocket, "the reset socket");
      h.assertStillServes();
    }
    h.closeAndAssertNoLeak("resetDuringTheHandshake");
  }

  @Test
  void resetDuringALargeWriteFailsTheWriteAndReportsTheReset() throws Exception {
    FaultHarness h = FaultHarness.start();
    try (FaultPeer peer = h.peer(Fault.RESET_DURING_LARGE_WRITE)) {
      LeakCheck.Counts beforeSocket = h.checkpoint();
      String name = h.upgrade(peer.name(""));
      byte[] large = new byte[64 * 1024 * 1024];

      Throwable thrown = catchThrowable(() -> h.sockets.write(name, large));
      String error = h.events.awaitEvent("socketError " + name, WAIT);
      System.out.println("RESET_DURING_LARGE_WRITE: write threw " + thrown + "; event: " + error);

      assertThat(thrown).isInstanceOf(IOException.class)
          .hasMessageStartingWith(name + ": ")
          .hasMessageMatching("(?s).*(Connection reset|Broken pipe).*");
      assertThat(error).isEqualTo("socketError " + name + ": " + thrown.getMessage());
      assertThat(h.events.events()).filteredOn(e -> e.startsWith("socketError")).hasSize(1);
      assertThat(h.sockets.openSockets()).doesNotContain(name);
      h.sockets.close(name);
      h.assertReleasedSince(beforeSocket, "the reset socket");
      h.assertStillServes();
    }
    h.closeAndAssertNoLeak("resetDuringALargeWrite");
  }
}
