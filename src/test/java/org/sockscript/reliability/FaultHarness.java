package org.sockscript.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.sockscript.Chunk;
import org.sockscript.RecordingListener;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.FaultPeer;
import org.sockscript.testing.FaultPeer.Fault;
import org.sockscript.testing.LeakCheck;
import org.sockscript.testing.TestPki;

/**
 * The frame around one fault test: counts descriptors and threads before anything is built, gives
 * the test a client registry (trusting the test root) whose events are recorded, keeps a healthy
 * {@link FaultPeer} to prove the registry still serves its other sockets, and at the end closes
 * everything and checks that nothing leaked.
 *
 * <pre>{@code
 * FaultHarness h = FaultHarness.start();
 * try (FaultPeer peer = h.peer(Fault.GARBAGE_AFTER_STARTTLS)) {
 *   String name = h.upgrade(peer.name(""));
 *   ... assert the failure ...
 *   h.assertStillServes();
 * }
 * h.closeAndAssertNoLeak();
 * }</pre>
 */
final class FaultHarness {

  static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration SETTLE = Duration.ofSeconds(5);
  private static boolean warmedUp;

  final SocketRegistry sockets = new SocketRegistry();
  final RecordingListener events = new RecordingListener();
  private final LeakCheck.Counts baseline;
  private final FaultPeer healthy;
  private final List<FaultPeer> peers = new ArrayList<>();
  private final AtomicInteger healthyCount = new AtomicInteger();

  private FaultHarness(LeakCheck.Counts baseline) throws Exception {
    this.baseline = baseline;
    sockets.setSslCertificates(List.of(TestPki.get().rootPem()));
    healthy = FaultPeer.start(Fault.NONE);
  }

  /** Warms the JVM up once (classes, jars, TLS), then takes the baseline and builds the frame. */
  static FaultHarness start() throws Exception {
    warmUpOnce();
    return new FaultHarness(LeakCheck.snapshot());
  }

  /** A peer with {@code fault}, closed by {@link #closeAndAssertNoLeak} if the test did not. */
  FaultPeer peer(Fault fault) throws Exception {
    FaultPeer peer = FaultPeer.start(fault);
    peers.add(peer);
    return peer;
  }

  /** Opens {@code name} with the recording listener and returns the greeting line. */
  String openAndGreet(String name) throws Exception {
    sockets.open(name, events);
    events.awaitEvent("connected " + name, WAIT);
    return sockets.read(name, Chunk.until("\r\n"));
  }

  /** The client side of STARTTLS: greeting, STARTTLS, go-ahead, then {@code secure} (verifying "localhost"). */
  String upgrade(String name) throws Exception {
    assertThat(openAndGreet(name)).isEqualTo(FaultPeer.GREETING);
    sockets.write(name, "STARTTLS\r\n");
    assertThat(sockets.read(name, Chunk.until("\r\n"))).isEqualTo(FaultPeer.GO_AHEAD);
    sockets.secure(name, true, "localhost");
    return name;
  }

  /** A full dialogue on a new socket to the healthy peer: the registry still serves its other sockets. */
  void assertStillServes() throws Exception {
    String name = healthy.name("|healthy-" + healthyCount.incrementAndGet());
    upgrade(name);
    sockets.write(name, "HELLO after the fault\r\n");
    assertThat(sockets.read(name, Chunk.until("\r\n"))).isEqualTo("250 HELLO after the fault\r\n");
    assertThat(sockets.tlsInfo(name).verified()).isTrue();
    sockets.write(name, "QUIT\r\n");
    assertThat(sockets.read(name, Chunk.until("\r\n"))).isEqualTo("221 bye\r\n");
    sockets.close(name);
  }

  /** The counts just before a test opens the socket it is about to break. */
  LeakCheck.Counts checkpoint() {
    return LeakCheck.snapshot();
  }

  /**
   * The broken socket's descriptors are gone (both ends: the peer closes its side once the client
   * has), without waiting for a garbage collection: compares with {@code checkpoint}, while the
   * registry stays open. Threads are left to {@link #closeAndAssertNoLeak}, since an open
   * registry may keep an idle callback thread for a while.
   */
  void assertReleasedSince(LeakCheck.Counts checkpoint, String what) throws InterruptedException {
    LeakCheck.Counts now = LeakCheck.awaitBackTo(
        new LeakCheck.Counts(checkpoint.fds(), Integer.MAX_VALUE, checkpoint.fdTargets(), List.of()), SETTLE);
    assertThat(now.fds())
        .as("descriptors after %s ended and its name was closed: %s before it was opened, %s now; %s",
            what, checkpoint.fds(), now.fds(), now.newSince(checkpoint))
        .isLessThanOrEqualTo(checkpoint.fds());
  }

  /**
   * Closes the registry and every peer, then waits for the descriptor and thread counts to come
   * back to the baseline, and asserts they did (printing both, and what is new if not).
   */
  LeakCheck.Counts closeAndAssertNoLeak(String label) throws Exception {
    sockets.close();
    peers.forEach(FaultPeer::close);
    healthy.close();
    assertThat(healthy.errors()).as("the healthy peer's errors").isEmpty();
    LeakCheck.Counts after = LeakCheck.awaitBackTo(baseline, SETTLE);
    System.out.printf("%s: baseline %s, after close %s%n", label, baseline, after);
    String evidence = LeakCheck.isBackTo(after, baseline) ? "" : after.newSince(baseline) + "; " + afterGc(baseline);
    assertThat(LeakCheck.isBackTo(after, baseline))
        .as("%s: descriptors and threads back to the baseline %s, were %s; %s", label, baseline, after, evidence)
        .isTrue();
    return after;
  }

  /** Whether a garbage collection releases what is left: then it is held by objects nobody closed. */
  private static String afterGc(LeakCheck.Counts baseline) throws InterruptedException {
    System.gc();
    System.runFinalization();
    LeakCheck.Counts gc = LeakCheck.awaitBackTo(baseline, Duration.ofSeconds(1));
    return "after System.gc(): " + gc + (LeakCheck.isBackTo(gc, baseline)
        ? " (released only by the garbage collector: objects that were dropped without being closed)"
        : " (" + gc.newSince(baseline) + ")");
  }

  /**
   * One full healthy dialogue and one failed upgrade, so a baseline is taken on a warm JVM (TLS
   * classes loaded, jars and {@code /dev/urandom} opened once for good). Other leak-counting tests
   * call it too.
   */
  static synchronized void warmUpOnce() throws Exception {
    if (warmedUp) {
      return;
    }
    FaultHarness h = new FaultHarness(LeakCheck.snapshot());
    try (FaultPeer garbage = FaultPeer.start(Fault.GARBAGE_AFTER_STARTTLS)) {
      h.assertStillServes();
      String name = h.upgrade(garbage.name(""));
      h.events.awaitEvent("socketError " + name, WAIT);
    }
    h.sockets.close();
    h.healthy.close();
    warmedUp = true;
  }
}
