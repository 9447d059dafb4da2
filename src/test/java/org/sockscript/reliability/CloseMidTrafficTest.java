package org.sockscript.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.SocketListener;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.LeakCheck;
import org.sockscript.testing.LogCapture;
import org.sockscript.testing.TestPki;

/**
 * Registries closed in the middle of everything at once: echo servers (plain and TLS) accepting
 * and answering through callbacks, a client opening by host name (looked up off the I/O thread),
 * by address and with TLS, writing and reading with callbacks, and two script threads opening,
 * writing, reading and closing — then the client and the servers close at a random moment, from
 * two threads. Whatever that cuts short is an ordinary end: nothing is logged at ERROR or WARN,
 * no thread dies of an uncaught exception, no descriptor stays open. Bounded: {@value #ROUNDS}
 * rounds or {@value #SECONDS} s.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CloseMidTrafficTest {

  private static final int ROUNDS = 60;
  private static final int SECONDS = 15;

  @Test
  void closingRegistriesMidTrafficLogsNothingAndLeaksNoDescriptor() throws Exception {
    FaultHarness.warmUpOnce();
    LeakCheck.Counts baseline = LeakCheck.snapshot();
    List<String> problems;
    int rounds = 0;
    Random random = new Random(5);
    try (LogCapture log = LogCapture.start()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
      for (; rounds < ROUNDS && System.nanoTime() < deadline; rounds++) {
        round(random);
      }
      problems = log.problems();
    }
    LeakCheck.Counts after = LeakCheck.awaitBackTo(baseline, Duration.ofSeconds(10));
    System.out.printf("CloseMidTrafficTest: %d rounds, %s -> %s%n", rounds, baseline, after);
    assertThat(problems).as("ERROR and WARN lines logged in %d rounds", rounds).isEmpty();
    assertThat(after.fds()).as("descriptors: %s", after.newSince(baseline)).isLessThanOrEqualTo(baseline.fds());
  }

  private static void round(Random random) throws Exception {
    SocketRegistry server = new SocketRegistry();
    String plain = server.accept(0, echo(server));
    // A registry of its own: one registry's two listeners may each accept a connection from the
    // same client port (loopback reuses a port for another destination), and the second one's
    // name ("<peer ip>:<peer port>") would be taken.
    SocketRegistry secureServer = new SocketRegistry();
    secureServer.setServerIdentity(TestPki.get().good().chainPem(), TestPki.get().good().keyPem());
    String secure = secureServer.accept(0, echo(secureServer), true);
    SocketRegistry client = new SocketRegistry();
    client.setSocketTimeoutInterval(Duration.ofSeconds(3));
    SocketListener talker = talker(client);
    for (int i = 0; i < 6; i++) {
      quietly(() -> client.open("localhost:" + plain + "|byName" + System.nanoTime(), talker));
      quietly(() -> client.open("127.0.0.1:" + plain + "|byAddress" + System.nanoTime(), talker));
      quietly(() -> client.openSecure("127.0.0.1:" + secure + "|tls" + System.nanoTime(), false, null, talker));
    }
    List<Thread> scripts = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      scripts.add(script(client, plain, i));
    }
    Thread.sleep(5 + random.nextInt(40));
    SocketRegistry first = random.nextBoolean() ? server : client;
    Thread closer = new Thread(first::close);
    closer.start();
    (random.nextBoolean() ? client : secureServer).close();
    closer.join(10_000);
    server.close();
    secureServer.close();
    client.close();
    for (Thread t : scripts) {
      t.join(10_000);
    }
  }

  /** A script thread: open, write, read, sometimes close, until the registry closes under it. */
  private static Thread script(SocketRegistry client, String port, int n) {
    Thread t = new Thread(() -> {
      for (int k = 0; k < 1000; k++) {
        String name = "localhost:" + port + "|script-" + n + "-" + k;
        try {
          client.open(name);
          client.write(name, "hello " + k + "\n");
          client.read(name, Chunk.lines(1));
          client.write(name, "more\n", null);
          if (k % 3 == 0) {
            client.close(name);
          }
        } catch (Exception closedUnderUs) {
          return;
        }
      }
    }, "close-mid-traffic-script-" + n);
    t.start();
    return t;
  }

  /** Echoes lines back; a call failing because the registry closed ends the conversation. */
  private static SocketListener echo(SocketRegistry sockets) {
    return new SocketListener() {
      @Override
      public void newConnection(String socket, String listener) {
        echoLine(sockets, socket);
      }
    };
  }

  private static void echoLine(SocketRegistry sockets, String socket) {
    quietly(() -> sockets.read(socket, Chunk.lines(1), (s, line) -> {
      quietly(() -> sockets.write(s, line, null));
      echoLine(sockets, s);
    }));
  }

  /** Once connected: five lines out, five callback reads. */
  private static SocketListener talker(SocketRegistry sockets) {
    return new SocketListener() {
      @Override
      public void connected(String socket) {
        for (int i = 0; i < 5; i++) {
          quietly(() -> sockets.write(socket, "line\n", null));
          quietly(() -> sockets.read(socket, Chunk.lines(1), (s, line) -> { }));
        }
      }
    };
  }

  private interface Call {
    void run() throws Exception;
  }

  /** Runs {@code call}; its failure (the registry or the socket closed) is an ordinary end here. */
  private static void quietly(Call call) {
    try {
      call.run();
    } catch (Exception closed) {
      // expected when the round's close lands first
    }
  }
}
