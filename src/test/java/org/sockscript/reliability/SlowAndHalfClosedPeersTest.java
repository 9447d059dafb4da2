package org.sockscript.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sockscript.reliability.FaultHarness.WAIT;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.SocketEofException;
import org.sockscript.testing.FaultPeer;
import org.sockscript.testing.FaultPeer.Fault;
import org.sockscript.testing.LeakCheck;

/** Peers that are slow or only half there: neither is an error. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowAndHalfClosedPeersTest {

  @Test
  void halfClosedPeerStillGetsWhatTheScriptWritesAndTheScriptReadsAllThenSocketClosed() throws Exception {
    FaultHarness h = FaultHarness.start();
    try (FaultPeer peer = h.peer(Fault.HALF_CLOSE)) {
      LeakCheck.Counts beforeSocket = h.checkpoint();
      String name = peer.name("");
      h.sockets.open(name, h.events);
      h.events.awaitEvent("connected " + name, WAIT);
      h.sockets.write(name, "ARE YOU STILL THERE?\r\n");
      assertThat(peer.awaitReceived("ARE YOU STILL THERE?\r\n", WAIT)).isTrue();

      assertThat(h.sockets.read(name, Chunk.until("\r\n"))).isEqualTo(FaultPeer.GREETING);
      assertThat(h.sockets.read(name, Chunk.until("\r\n"))).isEqualTo(FaultPeer.HALF_CLOSE_LINE);
      h.events.awaitEvent("socketClosed " + name, WAIT);

      assertThatThrownBy(() -> h.sockets.read(name, Chunk.until("\r\n")))
          .isInstanceOf(SocketEofException.class)
          .hasMessage("eof: " + name + " was closed by the peer after 0 byte(s) while reading until \"\\r\\n\"");
      h.sockets.write(name, "LATE\r\n"); // its FIN ended its data, not the conversation
      assertThat(peer.awaitReceived("LATE\r\n", WAIT)).isTrue();
      assertThat(h.events.events()).containsExactly("connected " + name, "socketClosed " + name);
      assertThat(h.sockets.openSockets()).contains(name);
      h.sockets.close(name);
      h.assertReleasedSince(beforeSocket, "the half-closed socket");
      h.assertStillServes();
    }
    h.closeAndAssertNoLeak("halfClose");
  }

  @Test
  void tricklingPeerIsSlowButNotATimeoutBecauseEveryByteIsProgress() throws Exception {
    FaultHarness h = FaultHarness.start();
    h.sockets.setSocketTimeoutInterval(Duration.ofMillis(400)); // far less than a trickled line takes
    try (FaultPeer peer = h.peer(Fault.TRICKLE)) {
      LeakCheck.Counts beforeSocket = h.checkpoint();
      String name = peer.name("");
      long start = System.nanoTime();
      assertThat(h.openAndGreet(name)).isEqualTo(FaultPeer.GREETING);
      Duration greeting = Duration.ofNanos(System.nanoTime() - start);

      h.sockets.write(name, "STARTTLS\r\n");
      assertThat(h.sockets.read(name, Chunk.until("\r\n"))).isEqualTo(FaultPeer.GO_AHEAD);
      h.sockets.secure(name, true, "localhost");
      h.sockets.write(name, "HELLO\r\n");
      assertThat(h.sockets.read(name, Chunk.until("\r\n"))).isEqualTo("250 HELLO\r\n");

      long trickled = FaultPeer.TRICKLE_INTERVAL.toMillis() * (FaultPeer.GREETING.length() - 1);
      assertThat(greeting).isGreaterThanOrEqualTo(Duration.ofMillis(trickled));
      assertThat(h.events.awaitEvent("secured " + name, WAIT)).isEqualTo("secured " + name + " TLSv1.3");
      assertThat(h.events.events()).noneMatch(e -> e.startsWith("socketTimeout") || e.startsWith("socketError"));
      h.sockets.close(name);
      h.assertReleasedSince(beforeSocket, "the trickling socket");
      h.assertStillServes();
    }
    h.closeAndAssertNoLeak("trickle");
  }
}
