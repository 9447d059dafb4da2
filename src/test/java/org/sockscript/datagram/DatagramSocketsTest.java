package org.sockscript.datagram;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sockscript.Chunk;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.CapturedProcess;
import org.sockscript.testing.PythonPeer;
import org.sockscript.testing.Registries;
import org.sockscript.testing.Socat;

/**
 * Datagram (UDP) sockets against real peers: Python's socket module echoing on loopback (IPv4
 * and IPv6), and socat as a client that accepts replies only from the port it sent to.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DatagramSocketsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension final Registries registries = new Registries();
  private final SocketRegistry sockets = registries.add(new SocketRegistry());

  @Test
  void aDatagramSocketIsUsableAtOnceAndEachWriteComesBackWhole() throws Exception {
    try (PythonPeer echo = PythonPeer.server("udp-echo", "127.0.0.1")) {
      String name = "127.0.0.1:" + echo.port();
      ReceivedDatagrams got = new ReceivedDatagrams();
      sockets.openDatagram(name, got);
      sockets.write(name, "hello");
      sockets.write(name, " world");
      ReceivedDatagrams.Received first = got.next(WAIT);
      assertThat(first.socket()).isEqualTo(name);
      assertThat(first.peer()).isEqualTo(name);
      assertThat(new String(first.data(), UTF_8)).isEqualTo("hello"); // never joined with the next
      assertThat(new String(got.next(WAIT).data(), UTF_8)).isEqualTo(" world");
    }
  }

  @Test
  void emptyAndLargestDatagramsTravelWholeOverIpv4AndIpv6() throws Exception {
    for (String host : List.of("127.0.0.1", "::1")) {
      try (PythonPeer echo = PythonPeer.server("udp-echo", host)) {
        String name = (host.contains(":") ? "[" + host + "]" : host) + ":" + echo.port();
        int largest = host.contains(":") ? 65_527 : 65_507;
        ReceivedDatagrams got = new ReceivedDatagrams();
        sockets.openDatagram(name, got);
        sockets.write(name, new byte[0]);
        assertThat(got.next(WAIT).data()).isEmpty();
        byte[] big = new byte[largest];
        Arrays.fill(big, (byte) 'x');
        big[largest - 1] = 'z';
        sockets.write(name, big, null); // the callback form sends at once, too
        assertThat(got.next(WAIT).data()).isEqualTo(big);
        assertThatThrownBy(() -> sockets.write(name, new byte[largest + 1]))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("datagram too large: " + (largest + 1) + " bytes, the limit is " + largest
                + " bytes for UDP over " + (host.contains(":") ? "IPv6" : "IPv4") + " (a datagram is sent whole, never split)");
        sockets.close(name);
      }
    }
  }

  @Test
  void aBurstOfTenThousandDatagramsIsCountedWithItsLossReported() throws Exception {
    try (PythonPeer echo = PythonPeer.server("udp-echo", "127.0.0.1")) {
      String name = "127.0.0.1:" + echo.port();
      ReceivedDatagrams got = new ReceivedDatagrams();
      sockets.openDatagram(name, got);
      int sent = 10_000;
      for (int i = 0; i < sent; i++) {
        sockets.write(name, String.format("%05d", i));
      }
      // Count what came back until nothing more comes for a second (bounded: at most 20 s).
      boolean[] seen = new boolean[sent];
      int back = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      ReceivedDatagrams.Received r;
      while (System.nanoTime() < deadline && (r = got.queue.poll(1, TimeUnit.SECONDS)) != null) {
        int seq = Integer.parseInt(new String(r.data(), UTF_8)); // each one whole and intact
        assertThat(seen[seq]).as("datagram %d came back twice", seq).isFalse();
        seen[seq] = true;
        back++;
      }
      echo.awaitOutput("received", WAIT);
      String peerCount = echo.output().lines().filter(l -> l.startsWith("received")).reduce((a, b) -> b).orElse("?");
      System.out.printf("datagram burst: sent %d, python %s, echoed back %d, lost %d (%.1f%%)%n",
          sent, peerCount, back, sent - back, 100.0 * (sent - back) / sent);
      assertThat(back).as("at least some of the burst made the round trip").isPositive();
    }
  }

  @Test
  void aListenerRepliesFromItsOwnPortToAPeerThatAcceptsOnlyThat() throws Exception {
    String port = sockets.acceptDatagram("127.0.0.1", 0, (socket, peer, data) -> {
      try {
        sockets.writeDatagram(socket, peer, "pong " + new String(data, UTF_8));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(sockets.openSockets()).containsExactly(port);
    // socat's UDP4 address is connected: it only takes datagrams from 127.0.0.1:<port>
    try (CapturedProcess client = CapturedProcess.start(List.of(Socat.executable(), "-t", "5", "-",
        "UDP4:127.0.0.1:" + port))) {
      client.send("ping\n");
      assertThat(client.awaitOutput("pong ping", WAIT)).as(client.output()).isTrue();
    }
  }

  @Test
  void anIpv6ListenerNamesItsPeerInBracketsAndRepliesFromItsOwnPort() throws Exception {
    java.util.concurrent.LinkedBlockingQueue<String> peers = new java.util.concurrent.LinkedBlockingQueue<>();
    String port = sockets.acceptDatagram("::1", 0, (socket, peer, data) -> {
      peers.add(peer);
      try {
        sockets.writeDatagram(socket, peer, "pong " + new String(data, UTF_8));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    // socat's UDP6 address is connected: it only takes datagrams from [::1]:<port>
    try (CapturedProcess client = CapturedProcess.start(List.of(Socat.executable(), "-t", "5", "-",
        "UDP6:[::1]:" + port))) {
      client.send("ping\n");
      assertThat(client.awaitOutput("pong ping", WAIT)).as(client.output()).isTrue();
    }
    assertThat(peers.poll(1, TimeUnit.SECONDS)).matches("\\[::1\\]:\\d+");
  }

  @Test
  void writeOnADatagramListenerSaysToReplyWithWriteDatagram() throws Exception {
    String port = sockets.acceptDatagram("127.0.0.1", 0, new ReceivedDatagrams());
    String expected = "\"" + port + "\" is a datagram listener (made by acceptDatagram), with no peer of its own:"
        + " reply with writeDatagram(listener, peer, data)";
    assertThatThrownBy(() -> sockets.write(port, "x")).isInstanceOf(IllegalStateException.class).hasMessage(expected);
    assertThatThrownBy(() -> sockets.write(port, "x".getBytes(UTF_8), null))
        .isInstanceOf(IllegalStateException.class).hasMessage(expected);
    assertThat(sockets.openSockets()).containsExactly(port); // misuse: the listener stays
  }

  @Test
  void datagramSocketsAreListedClosedByNameAndRefuseBlockingReads() throws Exception {
    ReceivedDatagrams atListener = new ReceivedDatagrams();
    String listener = sockets.acceptDatagram(0, atListener); // every address, IPv4 and IPv6
    String name = "127.0.0.1:" + listener;
    sockets.openDatagram(name, new ReceivedDatagrams());
    assertThat(sockets.openSockets()).containsExactly(listener, name);
    sockets.write(name, "x");
    assertThat(atListener.next(WAIT).peer()).isEqualTo(sockets.hostAddress(name)); // not [::ffff:127.0.0.1]:...
    assertThat(sockets.hostAddress(name)).startsWith("127.0.0.1:");
    assertThat(sockets.peerAddress(name)).isEqualTo(name);
    assertThatThrownBy(() -> sockets.read(name, Chunk.lines(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("invalid command for datagram socket \"" + name + "\": its datagrams go to its"
            + " DatagramListener; there is no stream to read, secure or read TLS details of");
    sockets.close(name);
    sockets.close(listener);
    assertThat(sockets.openSockets()).isEmpty();
    assertThatThrownBy(() -> sockets.write(name, "x")).hasMessage("socket is not open: \"" + name + "\"");
  }

  @Test
  void broadcastsAreRefusedUntilTheRegistryAllowsThem() throws Exception {
    String broadcast = "127.255.255.255:9"; // loopback's broadcast address: nothing leaves the machine
    sockets.openDatagram(broadcast);
    assertThatThrownBy(() -> sockets.write(broadcast, "to everyone on lo"))
        .isInstanceOf(IOException.class)
        .hasMessage("error sending datagram to 127.255.255.255:9: Permission denied"
            + " (a broadcast address? broadcasts are off: setAllowDatagramBroadcasts(true) allows them)");
    sockets.close(broadcast);
    sockets.setAllowDatagramBroadcasts(true);
    sockets.openDatagram(broadcast);
    sockets.write(broadcast, "to everyone on lo");
    assertThat(sockets.openSockets()).containsExactly(broadcast);
  }

  @Test
  void aSocketOpenedToOnePeerDeliversOnlyThatPeersDatagrams() throws Exception {
    ReceivedDatagrams atListener = new ReceivedDatagrams();
    String port = sockets.acceptDatagram("127.0.0.1", 0, atListener);
    String name = "127.0.0.1:" + port;
    ReceivedDatagrams got = new ReceivedDatagrams();
    sockets.openDatagram(name, got);
    sockets.write(name, "hi");
    String me = atListener.next(WAIT).peer();
    assertThat(me).isEqualTo(sockets.hostAddress(name));
    try (java.net.DatagramSocket stranger = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      byte[] junk = "from a stranger".getBytes(UTF_8);
      int myPort = Integer.parseInt(me.substring(me.lastIndexOf(':') + 1));
      stranger.send(new java.net.DatagramPacket(junk, junk.length, java.net.InetAddress.getLoopbackAddress(), myPort));
    }
    sockets.writeDatagram(port, me, "from the peer");
    assertThat(new String(got.next(WAIT).data(), UTF_8)).isEqualTo("from the peer"); // the stranger's was dropped
    assertThat(got.queue.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }
}
