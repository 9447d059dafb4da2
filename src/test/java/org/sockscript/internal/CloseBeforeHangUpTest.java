package org.sockscript.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.RecordingListener;
import org.sockscript.testing.TestPki;
import org.sockscript.testing.TlsPeers;

/**
 * The script closes a socket, and the peer's hang-up reaches the loop in the same wake-up, ahead
 * of the close (the loop serves ready keys before tasks). The script said close first, so the
 * hang-up is no news: no {@code socketClosed}, and for TLS no {@code truncated} socketError.
 *
 * <p>White-box: a loop timer holds the loop still while the peer hangs up and the script closes,
 * which makes the unlucky order certain instead of a one-in-fifty CI flake.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CloseBeforeHangUpTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final SocketCore core = new SocketCore();
  private final RecordingListener events = new RecordingListener();

  @AfterEach
  void tearDown() {
    core.close();
  }

  @Test
  void aHangUpMetAfterCloseIsNotReportedAsSocketClosed() throws Exception {
    String name;
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      name = "127.0.0.1:" + server.getLocalPort();
      core.open(name, events, false, true, null, null);
      try (Socket peer = server.accept()) {
        events.awaitEvent("connected " + name, WAIT);
        closeWhileTheLoopIsHeld(name, peer);
      }
    }
    assertThat(events.events()).containsExactly("connected " + name);
  }

  @Test
  void aTlsHangUpMetAfterCloseIsNotReportedAsTruncation() throws Exception {
    TestPki pki = TestPki.get();
    core.tls.trust(List.of(pki.rootPem()));
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String name = "localhost:" + server.getLocalPort();
      core.open(name, events, true, true, null, null);
      try (Socket peer = server.accept()) {
        TlsPeers.serverHandshake(peer, pki.good()); // leaves the TCP socket open, no close_notify
        events.awaitEvent("secured " + name, WAIT);
        closeWhileTheLoopIsHeld(name, peer);
      }
    }
    assertThat(events.events()).noneMatch(e -> e.startsWith("socketError") || e.startsWith("socketClosed"));
  }

  /** Holds the loop in a timer, hangs the peer up, closes by script, lets the loop go. */
  private void closeWhileTheLoopIsHeld(String name, Socket peer) throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    core.loop.execute(() -> core.loop.schedule(0, () -> {
      held.countDown();
      awaitQuietly(release);
    }));
    assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
    peer.shutdownOutput(); // FIN, without any TLS close_notify
    Thread.sleep(50); // let the FIN land in our socket's receive queue
    core.close(name);
    release.countDown();
    // Whatever the loop does next has happened once a task queued after it has run.
    CountDownLatch drained = new CountDownLatch(1);
    core.loop.execute(drained::countDown);
    assertThat(drained.await(5, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(200); // events go out on the listener's executor
    assertThat(core.names()).doesNotContain(name);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
