package org.sockscript.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.RecordingListener;
import org.sockscript.testing.TestPki;
import org.sockscript.testing.TlsPeers;

/**
 * A refused {@code secure} hands back the callback answers it held, in order: the request is
 * cleared under the same lock the re-sending takes, so no later answer slips out ahead of an
 * earlier held one. White-box: the test holds the inbound monitor to make the window certain
 * (HotSpot hands a contended monitor to the latest waiter first).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RefusedSecureReordersDeliveriesTest {

  @Test
  void aRefusedSecureKeepsCallbackDeliveriesInOrder() throws Exception {
    TestPki pki = TestPki.get();
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    try (SocketCore core = new SocketCore();
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      core.tls.trust(List.of(pki.rootPem()));
      RecordingListener events = new RecordingListener();
      String name = "localhost:" + server.getLocalPort();
      core.open(name, events, true, true, null, null);
      try (Socket plain = server.accept()) {
        SSLSocket peer = (SSLSocket) TlsPeers.jdkContext(pki.good(), pki).getSocketFactory()
            .createSocket(plain, null, plain.getPort(), false);
        peer.setUseClientMode(false);
        peer.startHandshake();
        events.awaitEvent("secured " + name, Duration.ofSeconds(10));
        Connection c = core.connection(name);
        OutputStream out = peer.getOutputStream();

        CountDownLatch blocked0 = new CountDownLatch(1);
        CountDownLatch l0 = new CountDownLatch(1);
        CountDownLatch l1 = new CountDownLatch(1);
        core.write(name, WriteRequest.callback("w0\n".getBytes(), s -> { blocked0.countDown(); await(l0); }));
        assertThat(blocked0.await(5, TimeUnit.SECONDS)).isTrue(); // the listener's turn is taken

        core.read(name, ReadRequest.callback(Chunk.until("\n"), StandardCharsets.UTF_8, (s, d) -> got.add(d.strip())));
        out.write("A\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(300); // d1 queued
        core.write(name, WriteRequest.callback("w1\n".getBytes(), s -> await(l1)));
        Thread.sleep(300); // written(w1) queued behind d1
        core.read(name, ReadRequest.callback(Chunk.until("\n"), StandardCharsets.UTF_8, (s, d) -> got.add(d.strip())));
        out.write("B\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(300); // d2 queued behind written(w1)

        CountDownLatch loopGo = LoopHold.hold(core);
        CompletableFuture<Void> done = new CompletableFuture<>();
        core.secure(name, true, null, done); // already secure: will be refused; the flag is set now
        l0.countDown(); // d1 runs: WITHHELD; written(w1) then blocks on l1
        Thread.sleep(300);
        synchronized (c.reads.inbound) {
          loopGo.countDown(); // the loop refuses: flag cleared, then releaseWithheld waits for the lock
          waitBlockedIn("releaseWithheld");
          l1.countDown(); // d2 runs: it sees the flag cleared, and waits for the lock too
          waitBlockedIn("Delivery.run");
        }
        assertThat(done).failsWithin(Duration.ofSeconds(5));
        Thread.sleep(500);
        assertThat(got).as("callback reads are answered in order").containsExactly("A", "B");
      }
    }
  }

  private static void waitBlockedIn(String frame) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
        if (e.getKey().getState() == Thread.State.BLOCKED) {
          for (StackTraceElement f : e.getValue()) {
            if ((f.getClassName() + "." + f.getMethodName()).endsWith(frame)) {
              return;
            }
          }
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no thread blocked in " + frame);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
