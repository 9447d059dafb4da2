package org.sockscript.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sockscript.Chunk;
import org.sockscript.SocketRegistry;
import org.sockscript.WireTrace;
import org.sockscript.testing.Registries;
import org.sockscript.testing.Socat;

/** The wire trace as text: plaintext chunks, then TLS records with the decrypted data beside them. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WireTraceTest {

  @RegisterExtension final Registries registries = new Registries();
  private final SocketRegistry client = registries.add(new SocketRegistry());

  @Test
  void aPlainSocketsChunksShowAsTextInBothDirections() throws Exception {
    try (Socat echo = Socat.echoServer()) {
      List<String> lines = new ArrayList<>();
      client.trace(WireTrace.toLines(lines));
      String name = "127.0.0.1:" + echo.port();
      client.open(name);
      client.write(name, "hello\r\n");
      client.read(name, Chunk.until("\r\n"));
      client.write(name, new byte[] {1, 2, (byte) 0xff});
      client.readBytes(name, Chunk.bytes(3));
      assertThat(lines).hasSize(4);
      assertThat(lines.get(0)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6} " + name + " > 7 B \"hello\\\\r\\\\n\"");
      assertThat(lines.get(1)).endsWith(name + " < 7 B \"hello\\r\\n\"");
      assertThat(lines.get(2)).endsWith(name + " > 3 B hex 01 02 ff");
      assertThat(lines.get(3)).endsWith(name + " < 3 B hex 01 02 ff");
    }
  }

  @Test
  void aStarttlsDialogueShowsPlaintextThenRecordsWithTheApplicationDataBeside() throws Exception {
    try (StarttlsDialogue dialogue = new StarttlsDialogue()) {
      List<String> lines = new ArrayList<>();
      String name = dialogue.name();
      client.trace(WireTrace.toLines(lines)); // before the open: the greeting may come with the connect
      client.open(name);
      dialogue.runClient(client, name);
      List<String> shown = lines.stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList(); // without the time
      assertThat(shown.subList(0, 3)).containsExactly(
          name + " < 11 B \"220 ready\\r\\n\"",
          name + " > 10 B \"STARTTLS\\r\\n\"",
          name + " < 14 B \"220 go ahead\\r\\n\"");
      assertThat(shown.get(3)).matches(java.util.regex.Pattern.quote(name) + " > \\d+ B TLS Handshake v1\\.0 len \\d+ \\[ClientHello\\]");
      assertThat(String.join("\n", shown)).containsSubsequence(
          "< ", "[ServerHello", "ChangeCipherSpec", "ApplicationData",      // the server's flight
          name + " > to encrypt 9 B \"EHLO me\\r\\n\"", name + " > ", "TLS ApplicationData v1.2 len ",
          name + " < decrypted 8 B \"250 ok\\r\\n\"");
    }
  }

  @Test
  void datagramsShowWithTheirPeer() throws Exception {
    List<String> lines = new ArrayList<>();
    client.trace(WireTrace.toLines(lines));
    java.util.concurrent.CountDownLatch got = new java.util.concurrent.CountDownLatch(1);
    String port = client.acceptDatagram("127.0.0.1", 0, (socket, peer, data) -> got.countDown());
    String name = "127.0.0.1:" + port;
    client.openDatagram(name);
    client.write(name, "ping");
    assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
    String me = client.hostAddress(name);
    List<String> shown = lines.stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList(); // without the time
    assertThat(shown).containsExactlyInAnyOrder( // (two sockets: each traces in its own order)
        name + " > datagram to " + name + " 4 B \"ping\"",
        port + " < datagram from " + me + " 4 B \"ping\"");
  }

  @Test
  void aTraceThatIsOffSeesNothingAndOneSocketsTraceSeesOnlyThatSocket(@TempDir Path dir) throws Exception {
    try (Socat echo = Socat.echoServer()) {
      List<String> lines = new ArrayList<>();
      String traced = "127.0.0.1:" + echo.port();
      String other = traced + "|other";
      client.open(traced);
      client.open(other);
      client.trace(traced, WireTrace.toLines(lines));
      client.write(other, "x");
      client.read(other, Chunk.bytes(1));
      client.write(traced, "y");
      client.read(traced, Chunk.bytes(1));
      client.trace(traced, null);
      client.write(traced, "z");
      client.read(traced, Chunk.bytes(1));
      assertThat(lines).hasSize(2).allMatch(l -> l.contains(traced + " ") && l.endsWith("\"y\""));
      assertThat(Files.list(dir)).isEmpty();
    }
  }
}
