package org.sockscript.reliability;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sockscript.Chunk;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.LeakCheck;
import org.sockscript.testing.LineServer;
import org.sockscript.testing.TestPki;

/**
 * 16 threads write to and read from 100 sockets of one registry at once; every line must come
 * back exactly once, and each writer's lines in the order it wrote them. Run over plaintext (a
 * byte echo) and over STARTTLS (sockscript's own callback server, which answers "250 " + line).
 *
 * <p>Thread {@code t} writes {@code "t,round,socket\n"} to every socket each round (blocking
 * writes on even threads, queued writes on odd ones), and owns the sockets {@code s % 16 == t}:
 * between rounds it collects what they have ({@code Chunk.available()}), and at the end reads
 * exactly the bytes still due. Bounded by {@value #ROUNDS} rounds and {@value #WRITE_SECONDS} s.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConcurrentTrafficTest {

  private static final int THREADS = 16;
  private static final int SOCKETS = 100;
  private static final int ROUNDS = 20;
  private static final int WRITE_SECONDS = 20;

  /** How the 100 sockets reach their echo. */
  enum Transport {
    PLAIN, STARTTLS;

    String reply(String line) {
      return this == PLAIN ? line : "250 " + line;
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void everyLineArrivesExactlyOnceAndInEachWritersOrder(Transport transport) throws Exception {
    FaultHarness.warmUpOnce();
    LeakCheck.Counts baseline = LeakCheck.snapshot();
    try (AutoCloseable peer = transport == Transport.PLAIN ? LineServer.echo() : StartTlsEchoServer.start();
         SocketRegistry client = new SocketRegistry()) {
      client.setSslCertificates(List.of(TestPki.get().rootPem()));
      int port = peer instanceof LineServer ? ((LineServer) peer).port() : ((StartTlsEchoServer) peer).port();
      List<String> names = open(client, port, transport);

      AtomicIntegerArray roundsDone = new AtomicIntegerArray(THREADS);
      Map<String, ByteArrayOutputStream> received = new HashMap<>();
      names.forEach(n -> received.put(n, new ByteArrayOutputStream()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WRITE_SECONDS);
      CyclicBarrier writingDone = new CyclicBarrier(THREADS);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int me = t;
          threads.add(pool.submit(() -> {
            List<String> mine = owned(names, me);
            List<String> order = new ArrayList<>(names);
            Random random = new Random(me);
            for (int r = 0; r < ROUNDS && System.nanoTime() < deadline; r++) {
              Collections.shuffle(order, random);
              for (String name : order) {
                byte[] line = line(me, r, names.indexOf(name));
                if (me % 2 == 0) {
                  client.write(name, line);
                } else {
                  client.write(name, line, null);
                }
              }
              roundsDone.set(me, r + 1);
              for (String name : mine) {
                received.get(name).write(client.readBytes(name, Chunk.available()));
              }
            }
            writingDone.await(60, TimeUnit.SECONDS);
            for (String name : mine) {
              int due = expectedBytes(transport, roundsDone, names.indexOf(name)) - received.get(name).size();
              if (due > 0) {
                received.get(name).write(client.readBytes(name, Chunk.bytes(due)));
              }
            }
            return null;
          }));
        }
        for (Future<?> thread : threads) {
          thread.get(90, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }

      int lines = 0;
      for (String name : names) {
        lines += assertExactlyOnceInOrder(transport, names.indexOf(name),
            received.get(name).toString(US_ASCII), roundsDone);
        assertThat(client.readBytes(name, Chunk.available())).as("nothing more on %s", name).isEmpty();
      }
      System.out.printf("ConcurrentTrafficTest %s: %d threads, %d sockets, %d lines each way%n",
          transport, THREADS, SOCKETS, lines);
      if (peer instanceof StartTlsEchoServer) {
        assertThat(((StartTlsEchoServer) peer).errors()).isZero();
      }
    }
    LeakCheck.Counts after = LeakCheck.awaitBackTo(baseline, java.time.Duration.ofSeconds(10));
    assertThat(LeakCheck.isBackTo(after, baseline))
        .as("descriptors and threads back to %s, were %s; %s", baseline, after, after.newSince(baseline)).isTrue();
  }

  private static List<String> open(SocketRegistry client, int port, Transport transport) throws Exception {
    List<String> names = new ArrayList<>();
    for (int s = 0; s < SOCKETS; s++) {
      String name = "127.0.0.1:" + port + "|" + s;
      client.open(name);
      if (transport == Transport.STARTTLS) {
        client.write(name, "STARTTLS\r\n");
        assertThat(client.read(name, Chunk.until("\r\n"))).isEqualTo("220 go\r\n");
        client.secure(name, true, "localhost");
      }
      names.add(name);
    }
    return names;
  }

  private static List<String> owned(List<String> names, int thread) {
    List<String> mine = new ArrayList<>();
    for (int s = thread; s < names.size(); s += THREADS) {
      mine.add(names.get(s));
    }
    return mine;
  }

  private static byte[] line(int thread, int round, int socket) {
    return (thread + "," + round + "," + socket + "\r\n").getBytes(US_ASCII);
  }

  private static int expectedBytes(Transport transport, AtomicIntegerArray roundsDone, int socket) {
    int total = 0;
    for (int t = 0; t < THREADS; t++) {
      for (int r = 0; r < roundsDone.get(t); r++) {
        total += transport.reply(new String(line(t, r, socket), US_ASCII)).length();
      }
    }
    return total;
  }

  /** Checks one socket's echo; returns how many lines it held. */
  private static int assertExactlyOnceInOrder(Transport transport, int socket, String text,
      AtomicIntegerArray roundsDone) {
    List<String> expected = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      for (int r = 0; r < roundsDone.get(t); r++) {
        expected.add(transport.reply(new String(line(t, r, socket), US_ASCII)));
      }
    }
    List<String> got = new ArrayList<>();
    for (String l : text.split("(?<=\r\n)")) {
      if (!l.isEmpty()) {
        got.add(l);
      }
    }
    assertThat(got).as("socket %d: every line exactly once", socket).containsExactlyInAnyOrderElementsOf(expected);
    for (int t = 0; t < THREADS; t++) {
      String prefix = transport.reply(t + ",");
      List<String> fromT = got.stream().filter(l -> l.startsWith(prefix)).toList();
      List<String> inOrder = expected.stream().filter(l -> l.startsWith(prefix)).toList();
      assertThat(fromT).as("socket %d: thread %d's lines in its order", socket, t).containsExactlyElementsOf(inOrder);
    }
    return got.size();
  }
}
