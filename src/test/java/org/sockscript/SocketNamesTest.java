package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sockscript.LoopbackPair.WAIT;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DESIGN §2: socket names, service ports, matching, and the names of listeners and accepted sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketNamesTest {

  @Test
  void hostAlonePointsAtPort80() throws Exception {
    assertNameReachesPort("127.0.0.1", 80);
  }

  @ParameterizedTest
  @CsvSource({"smtp, 25", "https, 443", "submission, 587", "imap, 143", "SMTP, 25"})
  void serviceNamesStandForTheirPorts(String service, int port) throws Exception {
    assertNameReachesPort("127.0.0.1:" + service, port);
  }

  @Test
  void hostPortOpensThatPortAndReportsBothAddresses() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      assertThat(pair.client.peerAddress(name)).isEqualTo("127.0.0.1:" + pair.listener);
      assertThat(pair.client.hostAddress(name)).matches("127\\.0\\.0\\.1:\\d+");
      assertThat(pair.client.openSockets()).containsExactly(name);
    }
  }

  @Test
  void bracketedIpv6HostOpensOverIpv6Loopback() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = "[::1]:" + pair.listener;
      pair.client.open(name);
      assertThat(address(pair.client.peerAddress(name)))
          .isEqualTo(new InetSocketAddress("::1", Integer.parseInt(pair.listener)));
      assertThat(address(pair.client.hostAddress(name)).getAddress().isLoopbackAddress()).isTrue();
      String peer = pair.accepted(name);
      assertThat(pair.server.peerAddress(peer)).isEqualTo(pair.client.hostAddress(name));
    }
  }

  @Test
  void connectionIdMakesASecondSocketToTheSameHostAndPort() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String plain = pair.connect("");
      String labelled = pair.connect("|x");
      assertThat(pair.client.openSockets()).containsExactly(plain, labelled);
      assertThat(pair.client.hostAddress(labelled)).isNotEqualTo(pair.client.hostAddress(plain));
      pair.client.write(labelled, "via x\n");
      assertThat(pair.server.read(pair.accepted(labelled), Chunk.lines(1))).isEqualTo("via x\n");
    }
  }

  @Test
  void namesMatchWholeAndCaseInsensitively() throws Exception {
    try (SocketRegistry server = new SocketRegistry(); SocketRegistry client = new SocketRegistry()) {
      RecordingListener events = new RecordingListener();
      String port = server.accept(0, events);
      client.open("localhost:" + port);
      client.write("LOCALHOST:" + port, "shouted\n");
      String peer = events.awaitEvent("newConnection", WAIT).split(" ")[1];
      assertThat(server.read(peer, Chunk.lines(1))).isEqualTo("shouted\n");
      assertThat(client.hostAddress("LocalHost:" + port)).isEqualTo(peer);
      assertThat(client.openSockets()).containsExactly("localhost:" + port);
      assertThatThrownBy(() -> client.open("LOCALHOST:" + port))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("socket is already open: \"LOCALHOST:" + port + "\"");
      assertThatThrownBy(() -> client.write("localhost:" + port + "|x", "x"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("socket is not open: \"localhost:" + port + "|x\"");
      assertThatThrownBy(() -> client.write("localhost", "x"))
          .isInstanceOf(IllegalStateException.class).hasMessage("socket is not open: \"localhost\"");
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "mail:x; not a valid host:port string: \"mail:x\"",
      "localhost:70000; not a valid port: 70000",
      "localhost:0; not a valid port: 0",
      "::1:80; not a valid host:port string: \"::1:80\" (an IPv6 host must be written in brackets",
      ":25; not a valid host:port string: \":25\" (the host is empty)",
      "mail.example.com:; not a valid host:port string: \"mail.example.com:\""})
  void badNamesAreRejectedBeforeAnyIo(String name, String messageStart) throws Exception {
    try (SocketRegistry sockets = new SocketRegistry()) {
      RecordingListener events = new RecordingListener();
      assertThatThrownBy(() -> sockets.open(name))
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(messageStart);
      assertThatThrownBy(() -> sockets.open(name, events))
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(messageStart);
      assertThat(sockets.openSockets()).isEmpty();
      assertThat(events.eventWithin("", Duration.ofMillis(200))).isEmpty();
    }
  }

  @Test
  void listenerIsNamedByItsRealPort() throws Exception {
    try (SocketRegistry server = new SocketRegistry(); SocketRegistry client = new SocketRegistry()) {
      String listener = server.accept(0, new RecordingListener());
      assertThat(listener).matches("\\d+").isNotEqualTo("0");
      assertThat(server.openSockets()).containsExactly(listener);
      client.open("127.0.0.1:" + listener);
      assertThat(client.peerAddress("127.0.0.1:" + listener)).isEqualTo("127.0.0.1:" + listener);
    }
  }

  @Test
  void acceptedConnectionIsNamedByThePeersIpAndPort() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      String event = pair.serverEvents.awaitEvent("newConnection", WAIT);
      assertThat(event).isEqualTo("newConnection " + pair.client.hostAddress(name) + " " + pair.listener);
      String peer = event.split(" ")[1];
      assertThat(pair.server.openSockets()).containsExactly(pair.listener, peer);
      assertThat(pair.server.peerAddress(peer)).isEqualTo(peer);
      assertThat(pair.server.hostAddress(peer)).isEqualTo(pair.client.peerAddress(name));
    }
  }

  /**
   * Opens {@code name} and checks it reached 127.0.0.1:{@code port}. The test runs as root, so a
   * listener takes the real port; if the port cannot be bound, the refusal must name the port.
   */
  private static void assertNameReachesPort(String name, int port) throws Exception {
    try (SocketRegistry server = new SocketRegistry(); SocketRegistry client = new SocketRegistry()) {
      listenIfPossible(server, port);
      try {
        client.open(name);
      } catch (ConnectException refused) {
        assertThat(refused).hasMessageStartingWith("can't connect to host")
            .hasMessageContaining("127.0.0.1:" + port + ":");
        return;
      }
      assertThat(client.peerAddress(name)).isEqualTo("127.0.0.1:" + port);
    }
  }

  private static void listenIfPossible(SocketRegistry server, int port) throws IOException {
    try {
      assertThat(server.accept(port, new RecordingListener())).isEqualTo(String.valueOf(port));
    } catch (BindException notRootOrTaken) {
      System.out.println("port " + port + " not bindable here; checking the refusal instead");
    }
  }

  /** Parses "ip:port" or "[v6]:port" as printed by hostAddress/peerAddress. */
  private static InetSocketAddress address(String printed) {
    int colon = printed.lastIndexOf(':');
    String host = printed.substring(0, colon).replace("[", "").replace("]", "");
    return new InetSocketAddress(host, Integer.parseInt(printed.substring(colon + 1)));
  }
}
