package org.sockscript.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.RecordingListener;
import org.sockscript.testing.PythonPeer;
import org.sockscript.testing.TestIdentity;
import org.sockscript.testing.TestPki;

/**
 * A secure listener runs at most {@code maxHandshakes} handshakes at once (256 by default; 2
 * here): three clients dribbling their handshakes are served two, then one, each dropped at the
 * 1 s deadline — the third is accepted only once a place is free, so it fails a full second after
 * the first did.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecureListenerHandshakeCapTest {

  @Test
  void aSecureListenerAtItsHandshakeCapWaitsForAPlaceBeforeAcceptingMore() throws Exception {
    try (SocketCore core = new SocketCore()) {
      core.timeout(Duration.ofSeconds(1));
      TestIdentity identity = TestPki.get().good();
      core.tls.serverIdentity(identity.chainPem(), identity.keyPem());
      RecordingListener events = new RecordingListener();
      ListeningSocket listener = ListeningSocket.open(core, 0, core.sink(events), true);
      core.loop.runAndWait(() -> listener.maxHandshakes = 2, 5, TimeUnit.SECONDS);
      List<PythonPeer> clients = List.of(dribbler(listener), dribbler(listener), dribbler(listener));
      try {
        // Timed from the clients' connections (the listener takes them in that order), not from
        // starting Python, which is slow on a busy machine and spreads the three starts apart.
        List<Long> connected = connectedTimes(clients);
        events.awaitEvents("socketError", 1, Duration.ofSeconds(10));
        Duration firstFailed = Duration.ofNanos(System.nanoTime() - connected.get(0));
        long firstPlaceFree = System.nanoTime();
        List<String> errors = events.awaitEvents("socketError", 3, Duration.ofSeconds(10));
        Duration thirdAfterFirst = Duration.ofNanos(System.nanoTime() - firstPlaceFree);
        assertThat(errors).allMatch(e -> e.contains("handshake timeout: not complete after 1000 ms"));
        assertThat(firstFailed).as("the first client is dropped at its deadline")
            .isBetween(Duration.ofMillis(600), Duration.ofMillis(1800));
        assertThat(thirdAfterFirst).as("the third waited for a place, then had its own second")
            .isGreaterThanOrEqualTo(Duration.ofMillis(900));
      } finally {
        clients.forEach(PythonPeer::close);
      }
    }
  }

  /** When each client said it connected ({@code System.nanoTime()}), in order; polled every 5 ms. */
  private static List<Long> connectedTimes(List<PythonPeer> clients) throws InterruptedException {
    Long[] seen = new Long[clients.size()];
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (Arrays.asList(seen).contains(null) && System.nanoTime() < deadline) {
      for (int i = 0; i < seen.length; i++) {
        if (seen[i] == null && clients.get(i).awaitOutput("connected", Duration.ZERO)) {
          seen[i] = System.nanoTime();
        }
      }
      Thread.sleep(5);
    }
    assertThat(seen).as("every client connected").doesNotContainNull();
    return Arrays.stream(seen).sorted().toList();
  }

  private static PythonPeer dribbler(ListeningSocket listener) throws Exception {
    return PythonPeer.client("dribble", "client", listener.name(), "0.3");
  }
}
