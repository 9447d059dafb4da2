package org.sockscript.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sockscript.reliability.FaultHarness.WAIT;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.SocketEofException;
import org.sockscript.testing.FaultPeer;
import org.sockscript.testing.FaultPeer.Fault;
import org.sockscript.testing.LeakCheck;

/** A TLS peer that hangs up without close_notify is a truncation, told apart from a clean close. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TruncationTest {

  @Test
  void closeWithoutCloseNotifyIsReportedAsTruncationAfterTheDataIsRead() throws Exception {
    FaultHarness h = FaultHarness.start();
    try (FaultPeer peer = h.peer(Fault.CLOSE_WITHOUT_CLOSE_NOTIFY)) {
      LeakCheck.Counts beforeSocket = h.checkpoint();
      String name = h.upgrade(peer.name(""));
      assertThat(h.sockets.read(name, Chunk.until("\r\n"))).isEqualTo(FaultPeer.LAST_WORDS);

      String truncated = "truncated: " + name + " was closed by the peer without a TLS close_notify after "
          + FaultPeer.LAST_WORDS.length() + " byte(s) of TLS data; the data may have been cut short";
      assertThat(h.events.awaitEvent("socketError " + name, WAIT)).isEqualTo("socketError " + name + ": " + truncated);
      assertThatThrownBy(() -> h.sockets.read(name, Chunk.until("\r\n")))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(SocketEofException.class)
          .hasMessage(truncated);
      assertThat(h.events.events()).noneMatch(e -> e.startsWith("socketClosed"));
      assertThat(h.sockets.openSockets()).doesNotContain(name);
      h.sockets.close(name); // the script tidies up the ended name
      h.assertReleasedSince(beforeSocket, "the truncated socket");
      h.assertStillServes();
    }
    h.closeAndAssertNoLeak("closeWithoutCloseNotify");
  }

  @Test
  void cleanCloseWithCloseNotifyIsSocketClosedNotAnError() throws Exception {
    FaultHarness h = FaultHarness.start();
    try (FaultPeer peer = h.peer(Fault.NONE)) {
      LeakCheck.Counts beforeSocket = h.checkpoint();
      String name = h.upgrade(peer.name(""));
      h.sockets.write(name, "QUIT\r\n");
      assertThat(h.sockets.read(name, Chunk.until("\r\n"))).isEqualTo("221 bye\r\n");

      h.events.awaitEvent("socketClosed " + name, WAIT);
      assertThatThrownBy(() -> h.sockets.read(name, Chunk.until("\r\n")))
          .isInstanceOf(SocketEofException.class)
          .isNotInstanceOf(SSLException.class)
          .hasMessageStartingWith("eof: " + name + " was closed by the peer");
      assertThat(h.events.events()).noneMatch(e -> e.startsWith("socketError"));
      h.sockets.close(name);
      h.assertReleasedSince(beforeSocket, "the cleanly closed socket");
      h.assertStillServes();
    }
    h.closeAndAssertNoLeak("cleanClose");
  }
}
