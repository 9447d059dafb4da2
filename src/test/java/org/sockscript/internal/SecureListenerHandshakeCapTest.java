package org.sockscript.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
 * 1 s deadline — the third is accepted only once a place is free.
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
      long start = System.nanoTime();
      List<PythonPeer> clients = List.of(dribbler(listener), dribbler(listener), dribbler(listener));
      try {
        events.awaitEvents("socketError", 2, Duration.ofSeconds(10));
        Duration twoFailed = Duration.ofNanos(System.nanoTime() - start);
        List<String> errors = events.awaitEvents("socketError", 3, Duration.ofSeconds(10));
        Duration thirdFailed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(errors).allMatch(e -> e.contains("handshake timeout: not complete after 1000 ms"));
        assertThat(twoFailed).as("the deadline, plus the clients' start-up on a busy machine").isBetween(Duration.ofMillis(900), Duration.ofMillis(4000));
        assertThat(thirdFailed).as("the third waited for a place, then had its own second")
            .isGreaterThanOrEqualTo(twoFailed.plusMillis(900));
      } finally {
        clients.forEach(PythonPeer::close);
      }
    }
  }

  private static PythonPeer dribbler(ListeningSocket listener) throws Exception {
    return PythonPeer.client("dribble", "client", listener.name(), "0.3");
  }
}
