package org.sockscript;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The LiveCode way: a blocking verb inside a listener's call hands the listener's turn on while
 * it waits, so a server written in sample 01's style (a blocking read loop in
 * {@code newConnection}) serves its clients at once — yet code of one listener between two
 * blocking verbs never runs at the same time as other code of that listener.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ListenerTurnsTest {

  private static final int ROUNDS = 20;
  private static final Duration PAUSE = Duration.ofMillis(50);

  @Test
  void blockingHandlersServeEightClientsAtOnceAndNeverRunTwoAtATime() throws Exception {
    try (SocketRegistry sockets = new SocketRegistry()) {
      TurnProbe probe = new TurnProbe();
      int port = Integer.parseInt(sockets.accept(0, scriptStyleServer(sockets, probe)));
      Duration one = clients(port, 1);
      Duration eight = clients(port, 8);
      System.out.printf("one client: %d ms, eight at once: %d ms%n", one.toMillis(), eight.toMillis());
      assertThat(eight).as("eight clients at once (one took %s; one after another would take 8×)", one)
          .isLessThan(one.multipliedBy(3));
      assertThat(probe.most.get()).as("calls of the listener running outside blocking verbs at once").isEqualTo(1);
      assertThat(probe.failures).isEmpty();
    }
  }

  @Test
  void aHandlerBlockedOnASilentClientDoesNotDelayTheNextClientsGreeting() throws Exception {
    try (SocketRegistry sockets = new SocketRegistry()) {
      sockets.setSocketTimeoutInterval(Duration.ofSeconds(5));
      int port = Integer.parseInt(sockets.accept(0, scriptStyleServer(sockets, new TurnProbe())));
      try (Socket silent = connect(port); Socket next = connect(port)) {
        assertThat(lines(silent).readLine()).isEqualTo("hello"); // then it says nothing: its handler waits
        long start = System.nanoTime();
        assertThat(lines(next).readLine()).isEqualTo("hello");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      }
    }
  }

  /** Sample 01's server: greets, then answers each line, with blocking verbs in newConnection. */
  private static SocketListener scriptStyleServer(SocketRegistry sockets, TurnProbe probe) {
    return new SocketListener() {
      @Override
      public void newConnection(String socket, String listener) {
        probe.enter();
        try {
          probe.blocking(() -> sockets.write(socket, "hello\n"));
          while (true) {
            String line = probe.blocking(() -> sockets.read(socket, Chunk.until("\n")));
            probe.blocking(() -> sockets.write(socket, "you said: " + line));
          }
        } catch (SocketEofException clientIsDone) {
          sockets.close(socket);
        } catch (Exception e) {
          probe.failures.add(socket + ": " + e);
        } finally {
          probe.leave();
        }
      }
    };
  }

  /** Runs {@code count} clients at once, each doing the rounds; returns how long all took. */
  private static Duration clients(int port, int count) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      List<Callable<Void>> clients = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int id = i;
        clients.add(() -> {
          try (Socket s = connect(port)) {
            BufferedReader in = lines(s);
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).isEqualTo("hello");
            for (int round = 0; round < ROUNDS; round++) {
              out.write(("client " + id + " round " + round + "\n").getBytes(US_ASCII));
              assertThat(in.readLine()).isEqualTo("you said: client " + id + " round " + round);
              Thread.sleep(PAUSE.toMillis());
            }
          }
          return null;
        });
      }
      long start = System.nanoTime();
      for (Future<Void> f : pool.invokeAll(clients)) {
        f.get();
      }
      return Duration.ofNanos(System.nanoTime() - start);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(30_000);
    return s;
  }

  private static BufferedReader lines(Socket s) throws IOException {
    return new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
  }

  /** Counts the listener's calls running outside blocking verbs; keeps the most ever seen. */
  private static final class TurnProbe {
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();
    final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

    void enter() {
      most.accumulateAndGet(inside.incrementAndGet(), Math::max);
    }

    void leave() {
      inside.decrementAndGet();
    }

    <T> T blocking(Callable<T> verb) throws Exception {
      leave();
      try {
        return verb.call();
      } finally {
        enter();
      }
    }

    void blocking(IoRunnable verb) throws Exception {
      blocking(() -> {
        verb.run();
        return null;
      });
    }
  }

  interface IoRunnable {
    void run() throws Exception;
  }
}
