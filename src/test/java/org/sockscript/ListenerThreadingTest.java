package org.sockscript;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.sockscript.LoopbackPair.WAIT;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.LineServer;
import org.sockscript.testing.Loopback;

/** DESIGN §5: one listener's calls never overlap, never run on the I/O thread, arrive in order per socket. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenerThreadingTest {

  private static final int SOCKETS = 20;
  private static final int LINES = 5;

  @Test
  void oneListenerServingTwentyBusySocketsIsCalledOneAtATimeOffTheIoThread() throws Exception {
    CountDownLatch allAccepted = new CountDownLatch(SOCKETS);
    try (LineServer peers = LineServer.start(s -> sendLinesTogether(s, allAccepted));
         SocketRegistry sockets = new SocketRegistry()) {
      CheckingListener events = new CheckingListener();
      events.onConnected = name -> {
        for (int i = 0; i < LINES; i++) {
          sockets.read(name, Chunk.lines(1), events.readRecorder());
        }
      };
      List<String> names = new ArrayList<>();
      for (int i = 0; i < SOCKETS; i++) {
        names.add("127.0.0.1:" + peers.port() + "|" + i);
        sockets.open(names.get(i), events);
      }
      events.awaitEvents("socketClosed ", SOCKETS, WAIT);

      assertThat(events.maxConcurrentCalls.get()).isEqualTo(1);
      assertThat(events.threads).isNotEmpty().noneMatch(t -> t.startsWith("sockscript-io"));
      for (String name : names) {
        List<String> expected = new ArrayList<>();
        expected.add("connected " + name);
        for (int i = 0; i < LINES; i++) {
          expected.add("read " + name + ": line " + i + "\n");
        }
        expected.add("socketClosed " + name);
        assertThat(eventsOf(events, name)).as("events of %s", name).isEqualTo(expected);
      }
    }
  }

  @Test
  void acceptingListenerIsCalledOneAtATimeOffTheIoThread() throws Exception {
    try (SocketRegistry server = new SocketRegistry()) {
      CheckingListener events = new CheckingListener();
      events.onNewConnection = peer -> server.read(peer, Chunk.lines(1), events.readRecorder());
      String port = server.accept(0, events);
      List<Socket> clients = new ArrayList<>();
      try {
        for (int i = 0; i < SOCKETS; i++) {
          Socket c = new Socket();
          c.connect(new InetSocketAddress(Loopback.HOST, Integer.parseInt(port)), 5000);
          clients.add(c);
        }
        for (Socket c : clients) {
          send(c.getOutputStream(), "hello from " + c.getLocalPort() + "\n");
        }
        events.awaitEvents("read ", SOCKETS, WAIT);
      } finally {
        for (Socket c : clients) {
          c.close();
        }
      }
      assertThat(events.maxConcurrentCalls.get()).isEqualTo(1);
      assertThat(events.threads).noneMatch(t -> t.startsWith("sockscript-io"));
      for (Socket c : clients) {
        String peer = "127.0.0.1:" + c.getLocalPort();
        assertThat(eventsOf(events, peer)).startsWith("newConnection " + peer + " " + port,
            "read " + peer + ": hello from " + c.getLocalPort() + "\n");
      }
    }
  }

  /** A recording listener that notes each call's thread and how many calls were running at once. */
  private static final class CheckingListener extends RecordingListener {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxConcurrentCalls = new AtomicInteger();
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    volatile java.util.function.Consumer<String> onConnected = name -> { };
    volatile java.util.function.Consumer<String> onNewConnection = name -> { };

    @Override
    public void connected(String socket) {
      onConnected.accept(socket);
      super.connected(socket);
    }

    @Override
    public void newConnection(String socket, String listenerName) {
      onNewConnection.accept(socket);
      super.newConnection(socket, listenerName);
    }

    @Override
    protected void record(String event) {
      maxConcurrentCalls.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      threads.add(Thread.currentThread().getName());
      try {
        Thread.sleep(2);  // widens the window in which an overlapping call would be seen
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      super.record(event);
      inFlight.decrementAndGet();
    }
  }

  /** The events that concern exactly {@code name} (not {@code name + "0"}), in arrival order. */
  private static List<String> eventsOf(RecordingListener events, String name) {
    return events.events().stream()
        .filter(e -> e.endsWith(" " + name) || e.contains(" " + name + ":") || e.contains(" " + name + " "))
        .toList();
  }

  /** Peer side: waits until all clients are connected, then every peer sends its lines at once. */
  private static void sendLinesTogether(Socket s, CountDownLatch allAccepted) throws Exception {
    allAccepted.countDown();
    allAccepted.await(10, TimeUnit.SECONDS);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < LINES; i++) {
      lines.append("line ").append(i).append('\n');
    }
    send(s.getOutputStream(), lines.toString());
  }

  private static void send(OutputStream out, String text) throws Exception {
    out.write(text.getBytes(ISO_8859_1));
    out.flush();
  }
}
