package org.sockscript.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.SocketListener;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.LeakCheck;
import org.sockscript.testing.LogCapture;

/**
 * A registry closed while its listener is busy accepting: clients keep connecting from other
 * threads, so the I/O thread is accepting at the moment the registry closes. A connection
 * accepted after that moment is closed quietly: no ERROR or WARN line, no descriptor left open.
 * Bounded: {@value #ROUNDS} registries or {@value #SECONDS} s, {@value #CLIENTS} connecting
 * threads of at most {@value #CONNECTS} connections each per round.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CloseWhileAcceptingTest {

  private static final int ROUNDS = 10;
  private static final int SECONDS = 15;
  private static final int CLIENTS = 3;
  private static final int CONNECTS = 100;

  @Test
  void closingRegistryWhileAcceptingLogsNothingAndLeaksNoDescriptor() throws Exception {
    FaultHarness.warmUpOnce();
    LeakCheck.Counts baseline = LeakCheck.snapshot();
    List<String> problems;
    int rounds = 0;
    try (LogCapture log = LogCapture.start()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
      for (; rounds < ROUNDS && System.nanoTime() < deadline; rounds++) {
        closeWhileClientsConnect();
      }
      problems = log.problems();
    }
    LeakCheck.Counts after = LeakCheck.awaitBackTo(baseline, Duration.ofSeconds(10));
    System.out.printf("CloseWhileAcceptingTest: %d rounds, %s -> %s%n", rounds, baseline, after);
    assertThat(problems).as("ERROR and WARN lines logged in %d rounds", rounds).isEmpty();
    assertThat(after.fds()).as("descriptors: %s", after.newSince(baseline)).isLessThanOrEqualTo(baseline.fds());
  }

  /** One registry, closed once its listener has accepted a few of the clients' connections. */
  private static void closeWhileClientsConnect() throws Exception {
    CountDownLatch someAccepted = new CountDownLatch(16);
    SocketRegistry sockets = new SocketRegistry();
    String port = sockets.accept(0, new SocketListener() {
      @Override
      public void newConnection(String socket, String listener) {
        someAccepted.countDown();
      }
    });
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(port));
    ConcurrentLinkedQueue<SocketChannel> clients = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> connecting = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      Thread t = new Thread(() -> {
        for (int n = 0; n < CONNECTS && !stop.get(); n++) {
          try {
            clients.add(SocketChannel.open(address));
          } catch (IOException refused) {
            return; // the listener is closed
          }
        }
      }, "close-while-accepting-client-" + i);
      t.start();
      connecting.add(t);
    }
    someAccepted.await(5, TimeUnit.SECONDS);
    sockets.close();
    stop.set(true);
    for (Thread t : connecting) {
      t.join(10_000);
    }
    for (SocketChannel c : clients) {
      c.close();
    }
  }
}
