package org.sockscript;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.LineServer;
import org.sockscript.testing.RecordingRelay;
import org.sockscript.testing.RecordingRelay.Direction;
import org.sockscript.testing.SilentServer;
import org.sockscript.testing.TestPki;
import org.sockscript.testing.TlsPeers;

/**
 * The STARTTLS checklist of issue 3, one test per item (a)–(g): what a man in the middle can
 * inject, what the wire shows, and what a failed upgrade leaves behind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StartTlsChecklistTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestPki pki = TestPki.get();
  private SocketRegistry client;

  @BeforeEach
  void setUp() throws Exception {
    client = new SocketRegistry();
    client.setSslCertificates(List.of(pki.rootPem()));
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  /** (a) Bytes a MITM appends to the STARTTLS reply fail the handshake; they never reach the script. */
  @Test
  void injectedResponseAfterStarttlsReplyFailsTheHandshakeAndIsNeverRead() throws Exception {
    try (LineServer server = LineServer.start(s -> {
      OutputStream out = s.getOutputStream();
      LineServer.readLine(s.getInputStream()); // STARTTLS
      out.write("220 go\r\nINJECTED\r\n".getBytes(ISO_8859_1)); // one segment
      out.flush();
      TlsPeers.serverHandshake(s, pki.good()); // then a genuine TLS server
    })) {
      RecordingListener events = new RecordingListener();
      String name = "localhost:" + server.port();
      client.open(name, events);
      events.awaitEvent("connected", WAIT);
      client.write(name, "STARTTLS\r\n");
      assertThat(client.read(name, Chunk.until("\r\n"))).isEqualTo("220 go\r\n");
      client.secure(name);

      assertThatThrownBy(() -> client.read(name, Chunk.until("\r\n")))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("received plaintext \"INJECTED\"");
      assertThat(events.awaitEvent("socketError " + name, WAIT)).contains("received plaintext \"INJECTED\"");
      // quoted in the reason as evidence, never delivered as data
      assertThat(events.events()).filteredOn(e -> !e.startsWith("socketError")).noneMatch(e -> e.contains("INJECTED"));
      assertThat(client.openSockets()).doesNotContain(name);
    }
  }

  /** (b) A partial line received before secure is TLS input, never glued to a secure read. */
  @Test
  void partialLineBeforeSecureIsNeverGluedToTheFirstSecureRead() throws Exception {
    try (LineServer server = LineServer.start(s -> {
      LineServer.readLine(s.getInputStream());
      s.getOutputStream().write("220 go\r\nPART".getBytes(ISO_8859_1));
      TlsPeers.serverHandshake(s, pki.good());
    })) {
      String name = "localhost:" + server.port();
      client.open(name);
      client.write(name, "STARTTLS\r\n");
      assertThat(client.read(name, Chunk.until("\r\n"))).isEqualTo("220 go\r\n");
      client.secure(name);
      assertThatThrownBy(() -> client.read(name, Chunk.until("\r\n")))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageNotContaining("PART\r\n")
          .hasMessageContaining("received plaintext \"PART\\x16...\"");
    }
  }

  /** (c) Server side: a command pipelined after STARTTLS is TLS input, never read as secure data. */
  @Test
  void commandPipelinedAfterStarttlsIsNeverReadAsSecureData() throws Exception {
    try (SocketRegistry server = serverRegistry()) {
      RecordingListener events = new RecordingListener();
      String port = server.accept(0, events);
      try (Socket raw = new Socket("127.0.0.1", Integer.parseInt(port))) {
        raw.getOutputStream().write("STARTTLS\r\nRSET\r\n".getBytes(ISO_8859_1)); // one segment
        String accepted = events.awaitEvent("newConnection", WAIT).split(" ")[1];
        assertThat(server.read(accepted, Chunk.until("\r\n"))).isEqualTo("STARTTLS\r\n");
        server.write(accepted, "220 go\r\n", null);
        server.secure(accepted);
        assertThatThrownBy(() -> server.read(accepted, Chunk.until("\r\n")))
            .isInstanceOf(SSLHandshakeException.class)
            .hasMessageContaining("received plaintext \"RSET\"");
        assertThat(events.awaitEvent("socketError " + accepted, WAIT)).contains("received plaintext \"RSET\"");
        assertThat(LineServer.readLine(raw.getInputStream())).isEqualTo("220 go");
        // quoted in the reason as evidence, never delivered as data
        assertThat(events.events()).filteredOn(e -> !e.startsWith("socketError")).noneMatch(e -> e.contains("RSET"));
      }
    }
  }

  /** (d) Server side: a ClientHello in the same segment as STARTTLS completes the handshake. */
  @Test
  void clientHelloInTheSameSegmentAsStarttlsCompletesTheHandshake() throws Exception {
    try (SocketRegistry server = serverRegistry()) {
      RecordingListener events = new RecordingListener();
      String port = server.accept(0, events);
      Thread serverSide = new Thread(() -> {
        try {
          String accepted = events.awaitEvent("newConnection", WAIT).split(" ")[1];
          server.read(accepted, Chunk.until("\r\n"));
          server.write(accepted, "220 go\r\n", null);
          server.secure(accepted);
          String line = server.read(accepted, Chunk.until("\r\n"));
          server.write(accepted, "250 secure " + line);
        } catch (Exception e) {
          events.socketError("server-thread", e.toString());
        }
      });
      serverSide.start();
      try (TlsPeers.PipeliningClient raw = TlsPeers.pipeliningStarttlsClient(Integer.parseInt(port), pki);
          SSLSocket tls = raw.tls()) {
        tls.getOutputStream().write("EHLO pipelined\r\n".getBytes(ISO_8859_1));
        assertThat(LineServer.readLine(tls.getInputStream())).isEqualTo("250 secure EHLO pipelined");
        byte[] first = raw.firstWrite();
        assertThat(new String(first, 0, 10, ISO_8859_1)).isEqualTo("STARTTLS\r\n");
        assertThat(first[10]).isEqualTo((byte) 0x16); // the ClientHello, in the same write
      }
      serverSide.join(10_000);
      assertThat(events.events()).noneMatch(e -> e.startsWith("socketError"));
    }
  }

  /** (e) On the wire: queued plaintext precedes the ClientHello; nothing written after secure is plain. */
  @Test
  void wireShowsQueuedPlaintextBeforeTheClientHelloAndNothingPlainAfterSecure() throws Exception {
    byte[] plain = ("PLAIN " + "x".repeat(2 * 1024 * 1024) + "\r\n").getBytes(ISO_8859_1);
    try (SocketRegistry server = serverRegistry()) {
      RecordingListener events = new RecordingListener();
      String port = server.accept(0, events);
      try (RecordingRelay relay = RecordingRelay.start("127.0.0.1", Integer.parseInt(port))) {
        String name = "127.0.0.1:" + relay.port();
        client.open(name);
        client.write(name, plain, null);        // still queued when secure is called
        client.secure(name, true, "localhost");
        client.write(name, "SECRET-AFTER-SECURE\r\n", null);

        String accepted = events.awaitEvent("newConnection", WAIT).split(" ")[1];
        assertThat(server.readBytes(accepted, Chunk.bytes(plain.length))).isEqualTo(plain);
        server.secure(accepted);
        assertThat(server.read(accepted, Chunk.until("\r\n"))).isEqualTo("SECRET-AFTER-SECURE\r\n");

        byte[] wire = relay.bytes(Direction.CLIENT_TO_SERVER);
        assertThat(relay.indexOfFirstTlsRecord(Direction.CLIENT_TO_SERVER)).isEqualTo(plain.length);
        assertThat(new String(wire, ISO_8859_1)).doesNotContain("SECRET");
        assertThat(client.tlsInfo(name).verified()).isTrue();
      }
    }
  }

  /** (f) A failed handshake drops the writes issued after secure and closes: no plaintext path. */
  @Test
  void failedHandshakeLeavesNoPlaintextPath() throws Exception {
    StringBuilder received = new StringBuilder();
    try (LineServer server = LineServer.start(s -> {
      InputStream in = s.getInputStream();
      LineServer.readLine(in);
      s.getOutputStream().write("220 go\r\n".getBytes(ISO_8859_1));
      s.getOutputStream().write("500 I do not speak TLS\r\n".getBytes(ISO_8859_1));
      byte[] buffer = new byte[4096];
      for (int n; (n = in.read(buffer)) > 0; ) {
        synchronized (received) {
          received.append(new String(buffer, 0, n, ISO_8859_1));
        }
      }
    })) {
      RecordingListener events = new RecordingListener();
      String name = "localhost:" + server.port();
      client.open(name, events);
      events.awaitEvent("connected", WAIT);
      client.write(name, "STARTTLS\r\n");
      client.read(name, Chunk.until("\r\n"));
      client.secure(name);
      assertThatThrownBy(() -> client.write(name, "SECRET\r\n"))
          .isInstanceOf(SSLHandshakeException.class);
      assertThat(events.awaitEvent("socketError " + name, WAIT)).contains("received plaintext \"500 I do not speak TLS\"");
      assertThatThrownBy(() -> client.write(name, "SECRET again\r\n")) // later calls: same reason
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("received plaintext \"500 I do not speak TLS\"");
      client.close(name); // tidying up an ended socket is allowed
      assertThatThrownBy(() -> client.write(name, "SECRET at last\r\n"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("socket is not open: \"" + name + "\"");
      Thread.sleep(200);
      synchronized (received) {
        assertThat(received.toString()).doesNotContain("SECRET");
      }
      assertThat(events.events().stream().filter(e -> e.startsWith("socketError"))).hasSize(1);
    }
  }

  /** (g) A peer that never answers the ClientHello gets a handshake timeout, reported once. */
  @Test
  void silentPeerGetsAHandshakeTimeout() throws Exception {
    client.setSocketTimeoutInterval(Duration.ofMillis(700));
    try (SilentServer server = SilentServer.start()) {
      RecordingListener events = new RecordingListener();
      String name = "localhost:" + server.port();
      client.open(name, events);
      events.awaitEvent("connected", WAIT);
      long start = System.nanoTime();
      client.secure(name);
      assertThat(events.awaitEvent("socketError " + name, WAIT))
          .contains("handshake timeout: not complete after 700 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(
          Duration.ofMillis(600), Duration.ofSeconds(5));
      assertThat(server.received()[0]).isEqualTo((byte) 0x16); // a ClientHello went out
      assertThat(client.openSockets()).doesNotContain(name);
    }
  }

  private SocketRegistry serverRegistry() throws Exception {
    SocketRegistry server = new SocketRegistry();
    server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
    return server;
  }
}
