package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DESIGN §6: one I/O thread serves every socket. 1,000 sockets open at once in one registry use
 * exactly the threads that 10 did.
 *
 * <p>What is counted. The client registry opens in script style (no listener), so it should own
 * exactly one thread, {@code sockscript-io-<n>}, and no {@code sockscript-callbacks-<n>-*} at any
 * size: that count must be equal at 10 and at 1,000. The server registry needs a listener to learn
 * the accepted names, and its callback pool may hold one or two idle threads depending on timing,
 * so it is left out of the JVM-wide figure; every other live thread
 * ({@link Thread#getAllStackTraces()}) must not grow from 10 sockets to 1,000 (threads left over by
 * earlier test classes may still end meanwhile, hence "not more" rather than "equal").
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThousandSocketsTest {

  private static final int FEW = 10;
  private static final int MANY = 1000;

  @Test
  void aThousandSocketsRunOnTheThreadsThatTenUsed() throws Exception {
    List<String> beforeServer = threadNames();
    try (SocketRegistry server = new SocketRegistry()) {
      String serverCallbacks = callbackPrefix(newIoThread(beforeServer));
      RecordingListener accepted = new RecordingListener();
      String port = server.accept(0, accepted);
      List<String> beforeClient = threadNames();
      try (SocketRegistry client = new SocketRegistry()) {
        String clientIo = newIoThread(beforeClient);
        String clientCallbacks = callbackPrefix(clientIo);
        List<String> names = new ArrayList<>();

        openAndExchange(client, server, accepted, port, names, FEW);
        int clientThreadsAtFew = countThreads(clientIo, clientCallbacks);
        int otherThreadsAtFew = liveThreadsExcept(serverCallbacks);

        openAndExchange(client, server, accepted, port, names, MANY);
        int clientThreadsAtMany = countThreads(clientIo, clientCallbacks);
        int otherThreadsAtMany = liveThreadsExcept(serverCallbacks);

        System.out.printf("ThousandSocketsTest: client registry threads at %d sockets = %d, at %d = %d;"
            + " live JVM threads (without the server's callback pool) at %d = %d, at %d = %d;"
            + " all live threads now = %d%n", FEW, clientThreadsAtFew, MANY, clientThreadsAtMany,
            FEW, otherThreadsAtFew, MANY, otherThreadsAtMany, Thread.getAllStackTraces().size());
        assertThat(client.openSockets()).hasSize(MANY);
        assertThat(clientThreadsAtFew).isEqualTo(1);
        assertThat(clientThreadsAtMany).isEqualTo(clientThreadsAtFew);
        assertThat(otherThreadsAtMany).isLessThanOrEqualTo(otherThreadsAtFew);
      }
    }
  }

  /**
   * Opens sockets until {@code names} holds {@code total}, then sends one line on each new one, has
   * the server echo it, and reads the echo: every socket works.
   */
  private static void openAndExchange(SocketRegistry client, SocketRegistry server,
      RecordingListener accepted, String port, List<String> names, int total) throws Exception {
    int first = names.size();
    for (int i = first; i < total; i++) {
      names.add("127.0.0.1:" + port + "|" + i);
      client.open(names.get(i));
    }
    accepted.awaitEvents("newConnection ", total, Duration.ofSeconds(30));
    for (int i = first; i < total; i++) {
      client.write(names.get(i), "ping " + i + "\n");
    }
    for (int i = first; i < total; i++) {
      String peer = client.hostAddress(names.get(i));
      assertThat(server.read(peer, Chunk.lines(1))).isEqualTo("ping " + i + "\n");
      server.write(peer, "pong " + i + "\n");
    }
    for (int i = first; i < total; i++) {
      assertThat(client.read(names.get(i), Chunk.lines(1))).isEqualTo("pong " + i + "\n");
    }
    Thread.sleep(200);  // let callback threads that just finished go idle before counting
  }

  /** The names of all live threads (one entry per thread). */
  private static List<String> threadNames() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
  }

  /** The name of the one "sockscript-io-<n>" thread that is not in {@code before}. */
  private static String newIoThread(List<String> before) {
    List<String> fresh = threadNames().stream()
        .filter(n -> n.startsWith("sockscript-io-") && !before.contains(n)).toList();
    assertThat(fresh).as("I/O threads started by one new registry").hasSize(1);
    return fresh.get(0);
  }

  private static int number(String ioThread) {
    return Integer.parseInt(ioThread.substring("sockscript-io-".length()));
  }

  /** "sockscript-io-7" → "sockscript-callbacks-7-". */
  private static String callbackPrefix(String ioThread) {
    return "sockscript-callbacks-" + number(ioThread) + "-";
  }

  private static int countThreads(String ioThread, String callbackPrefix) {
    return (int) threadNames().stream()
        .filter(n -> n.equals(ioThread) || n.startsWith(callbackPrefix)).count();
  }

  private static int liveThreadsExcept(String callbackPrefix) {
    return (int) threadNames().stream().filter(n -> !n.startsWith(callbackPrefix)).count();
  }
}
