package org.sockscript.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sockscript.SocketRegistry;
import org.sockscript.WireTrace;
import org.sockscript.testing.CapturedProcess;
import org.sockscript.testing.InstalledPeers;
import org.sockscript.testing.Registries;

/**
 * A traced STARTTLS dialogue exported to pcapng and read back by Wireshark's {@code tshark}:
 * the plaintext SMTP exchange, then the TLS handshake, in order, and the decrypted data as
 * packet comments. Skips, saying what to install, without tshark.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PcapngTraceTest {

  @RegisterExtension final Registries registries = new Registries();
  private final SocketRegistry client = registries.add(new SocketRegistry());

  @Test
  void tsharkReadsTheStarttlsExchangeThenTheHandshakeInOrder(@TempDir Path dir) throws Exception {
    InstalledPeers.assume("tshark");
    Path file = dir.resolve("starttls.pcapng");
    String serverPort;
    try (StarttlsDialogue dialogue = new StarttlsDialogue(); WireTrace pcap = WireTrace.toPcapng(file)) {
      client.trace(pcap);
      serverPort = dialogue.port;
      client.open(dialogue.name());
      dialogue.runClient(client, dialogue.name());
      client.close(dialogue.name());
      client.trace(null);
    }
    // Decode the server's port as SMTP, as Wireshark does for port 25 (ours is a free port).
    String packets = tshark(file, "-d", "tcp.port==" + serverPort + ",smtp", "-T", "fields",
        "-e", "_ws.col.Protocol", "-e", "_ws.col.Info");
    assertThat(packets).containsSubsequence(
        "SMTP\tS: 220 ready", "SMTP\tC: STARTTLS", "SMTP\tS: 220 go ahead",
        "Client Hello", "Server Hello");
    String comments = tshark(file, "-Y", "frame.comment", "-T", "fields", "-e", "frame.comment");
    assertThat(comments).containsSubsequence("to encrypt 9 bytes: \"EHLO me\\r\\n\"", "decrypted 8 bytes: \"250 ok\\r\\n\"");
  }

  @Test
  void anIpv6SocketsLargeChunksAreFramedAsOneStreamCarryingEveryByte(@TempDir Path dir) throws Exception {
    InstalledPeers.assume("tshark");
    Path file = dir.resolve("v6.pcapng");
    byte[] big = new byte[100_000]; // more than one synthetic segment, and than one socket read
    java.util.Arrays.fill(big, (byte) 'a');
    String port;
    try (SocketRegistry server = new SocketRegistry(); WireTrace pcap = WireTrace.toPcapng(file)) {
      port = server.accept("::1", 0, new org.sockscript.SocketListener() {
        @Override
        public void newConnection(String socket, String listenerName) {
          server.write(socket, big, null);
        }
      }, false);
      client.trace(pcap);
      String name = "[::1]:" + port;
      client.open(name);
      assertThat(client.readBytes(name, org.sockscript.Chunk.bytes(big.length))).isEqualTo(big);
      client.trace(null);
    }
    String packets = tshark(file, "-T", "fields", "-e", "ipv6.src", "-e", "tcp.srcport", "-e", "tcp.len");
    long fromServer = packets.lines().filter(l -> l.startsWith("::1\t") && !l.endsWith("\t0")).mapToLong(
        l -> Long.parseLong(l.substring(l.lastIndexOf('\t') + 1))).sum();
    assertThat(fromServer).isEqualTo(big.length);
    assertThat(tshark(file, "-q", "-z", "conv,tcp")).containsPattern("::1:\\d+ +<-> ::1:" + port + " "); // one stream
  }

  @Test
  void datagramsAreFramedAsUdpPacketsBetweenTheirEnds(@TempDir Path dir) throws Exception {
    InstalledPeers.assume("tshark");
    Path file = dir.resolve("udp.pcapng");
    String port;
    try (WireTrace pcap = WireTrace.toPcapng(file)) {
      client.trace(pcap);
      java.util.concurrent.CompletableFuture<String> pong = new java.util.concurrent.CompletableFuture<>();
      port = client.acceptDatagram("127.0.0.1", 0, (socket, peer, data) -> {
        try {
          client.writeDatagram(socket, peer, "pong");
        } catch (java.io.IOException e) {
          pong.completeExceptionally(e);
        }
      });
      String name = "127.0.0.1:" + port;
      client.openDatagram(name, (socket, peer, data) -> pong.complete(new String(data, java.nio.charset.StandardCharsets.UTF_8)));
      client.write(name, "ping");
      assertThat(pong.get(10, TimeUnit.SECONDS)).isEqualTo("pong");
      client.trace(null);
    }
    String packets = tshark(file, "-T", "fields", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.length");
    List<String> lines = packets.lines().filter(l -> l.matches("\\d+\t\\d+\t\\d+")).toList();
    assertThat(lines).hasSize(4) // the socket's ping out, the listener's ping in, its pong out, the socket's pong in
        .allMatch(l -> l.endsWith("\t12") && l.contains(port));
  }

  private static String tshark(Path file, String... options) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
    command.addAll(List.of(options));
    try (CapturedProcess p = CapturedProcess.start(command)) {
      assertThat(p.exitCode(java.time.Duration.ofSeconds(30))).as(p.output()).hasValue(0);
      return p.output();
    }
  }
}
