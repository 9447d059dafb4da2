package org.sockscript.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sockscript.SocketRegistry;
import org.sockscript.WireTrace;
import org.sockscript.testing.CapturedProcess;
import org.sockscript.testing.InstalledPeers;

/**
 * A traced STARTTLS dialogue exported to pcapng and read back by Wireshark's {@code tshark}:
 * the plaintext SMTP exchange, then the TLS handshake, in order, and the decrypted data as
 * packet comments. Skips, saying what to install, without tshark.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PcapngTraceTest {

  private final SocketRegistry client = new SocketRegistry();

  @AfterEach
  void tearDown() {
    client.close();
  }

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

  private static String tshark(Path file, String... options) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
    command.addAll(List.of(options));
    try (CapturedProcess p = CapturedProcess.start(command)) {
      assertThat(p.exitCode(java.time.Duration.ofSeconds(30))).as(p.output()).hasValue(0);
      return p.output();
    }
  }
}
