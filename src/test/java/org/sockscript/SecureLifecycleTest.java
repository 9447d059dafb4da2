package org.sockscript;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.RecordingRelay;
import org.sockscript.testing.RecordingRelay.Direction;
import org.sockscript.testing.SilentServer;
import org.sockscript.testing.TestPki;

/** Secure sockets through their whole life: opening, closing mid-way, closing with data queued. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecureLifecycleTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestPki pki = TestPki.get();

  @Test
  void closingASecureSocketWithQueuedWritesSendsThemThenCloseNotifyWithoutSpinning() throws Exception {
    try (SocketRegistry server = serverRegistry(); SocketRegistry client = clientRegistry()) {
      RecordingListener events = new RecordingListener();
      String name = "localhost:" + server.accept(0, events, true);
      client.openSecure(name, true, null);
      String accepted = events.awaitEvent("newConnection", WAIT).split(" ")[1];
      byte[] payload = new byte[8 * 1024 * 1024];
      client.write(name, payload, null); // more than the socket buffers take: still queued
      client.close(name);

      long cpuBefore = ioThreadCpuNanos();
      Thread.sleep(1000); // the server does not read yet: the client's loop must sit idle
      assertThat(Duration.ofNanos(ioThreadCpuNanos() - cpuBefore)).isLessThan(Duration.ofMillis(300));
      assertThat(server.readBytes(accepted, Chunk.bytes(payload.length))).hasSize(payload.length);
      events.awaitEvent("socketClosed " + accepted, WAIT); // close_notify came after the data
      assertThat(events.events()).noneMatch(e -> e.startsWith("socketError"));
    }
  }

  @Test
  void writesIssuedWhileAnOpenSecureConnectsNeverLeaveInPlaintext() throws Exception {
    try (SocketRegistry server = serverRegistry(); SocketRegistry client = clientRegistry()) {
      RecordingListener serverEvents = new RecordingListener();
      String port = server.accept(0, serverEvents, true);
      try (RecordingRelay relay = RecordingRelay.start("127.0.0.1", Integer.parseInt(port))) {
        String name = "127.0.0.1:" + relay.port();
        client.openSecure(name, true, "localhost", new RecordingListener());
        client.write(name, "PASSWORD hunter2\r\n", null); // before the connect completes
        String accepted = serverEvents.awaitEvent("newConnection", WAIT).split(" ")[1];
        assertThat(server.read(accepted, Chunk.until("\r\n"))).isEqualTo("PASSWORD hunter2\r\n");
        assertThat(relay.bytes(Direction.CLIENT_TO_SERVER)[0]).isEqualTo((byte) 0x16);
        assertThat(new String(relay.bytes(Direction.CLIENT_TO_SERVER), ISO_8859_1)).doesNotContain("PASSWORD");
      }
    }
  }

  @Test
  void tlsInfoStillAnswersAfterThePeerHasClosed() throws Exception {
    try (SocketRegistry server = serverRegistry(); SocketRegistry client = clientRegistry()) {
      RecordingListener events = new RecordingListener();
      String name = "localhost:" + server.accept(0, events, true);
      client.openSecure(name, true, null);
      String accepted = events.awaitEvent("newConnection", WAIT).split(" ")[1];
      server.write(accepted, "bye\r\n");
      server.close(accepted);
      assertThat(client.read(name, Chunk.until("\r\n"))).isEqualTo("bye\r\n");
      Thread.sleep(200); // the close_notify has arrived: Conscrypt answers it, which ends our side too
      assertThat(client.openSockets()).doesNotContain(name);
      assertThat(client.tlsInfo(name).verifiedHost()).isEqualTo("localhost");
      assertThat(client.peerAddress(name)).isEqualTo("127.0.0.1:" + name.split(":")[1]);
    }
  }

  @Test
  void secureWhileAnOpenSecureIsConnectingIsRefused() throws Exception {
    try (SilentServer silent = SilentServer.start(); SocketRegistry client = clientRegistry()) {
      String name = "localhost:" + silent.port();
      client.openSecure(name, true, null, new RecordingListener());
      assertThatThrownBy(() -> client.secure(name, false, null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("mid-upgrade");
    }
  }

  @Test
  void closingDuringTheHandshakeReleasesAWaitingTlsInfo() throws Exception {
    try (SilentServer silent = SilentServer.start(); SocketRegistry client = clientRegistry()) {
      String name = "localhost:" + silent.port();
      client.open(name);
      client.secure(name);
      CompletableFuture<TlsInfo> info = CompletableFuture.supplyAsync(() -> {
        try {
          return client.tlsInfo(name);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      Thread.sleep(200);
      client.close(name);
      assertThatThrownBy(() -> info.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("was closed while the call waited");
    }
  }

  @Test
  void aSmallInboundLimitStillReadsTlsRecordsThatArriveInPieces() throws Exception {
    try (SocketRegistry server = serverRegistry(); SocketRegistry client = clientRegistry();
        ServerSocket trickle = new ServerSocket(0)) {
      RecordingListener events = new RecordingListener();
      String port = server.accept(0, events, true);
      Thread relay = new Thread(() -> trickleRelay(trickle, Integer.parseInt(port)));
      relay.setDaemon(true);
      relay.start();
      client.setInboundLimit(8192);
      String name = "localhost:" + trickle.getLocalPort();
      client.openSecure(name, true, null);
      String accepted = events.awaitEvent("newConnection", WAIT).split(" ")[1];
      server.write(accepted, new byte[10_000]); // one TLS record larger than the limit's half
      assertThat(client.readBytes(name, Chunk.bytes(5000))).hasSize(5000);
      assertThat(client.readBytes(name, Chunk.bytes(5000))).hasSize(5000);
    }
  }

  /** Forwards both ways; server-to-client in 1,500-byte pieces 20 ms apart, splitting records. */
  private static void trickleRelay(ServerSocket listener, int target) {
    try (Socket client = listener.accept(); Socket server = new Socket("127.0.0.1", target)) {
      Thread up = new Thread(() -> {
        try {
          client.getInputStream().transferTo(server.getOutputStream());
        } catch (IOException ignored) {
          // the test is over
        }
      });
      up.setDaemon(true);
      up.start();
      InputStream in = server.getInputStream();
      OutputStream out = client.getOutputStream();
      byte[] piece = new byte[1500];
      for (int n; (n = in.read(piece)) > 0; ) {
        out.write(piece, 0, n);
        out.flush();
        Thread.sleep(20);
      }
    } catch (IOException | InterruptedException ignored) {
      // the test is over
    }
  }

  private static long ioThreadCpuNanos() {
    long total = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("sockscript-io")) {
        total += ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId());
      }
    }
    return total;
  }

  private SocketRegistry serverRegistry() throws Exception {
    SocketRegistry server = new SocketRegistry();
    server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
    return server;
  }

  private SocketRegistry clientRegistry() throws Exception {
    SocketRegistry client = new SocketRegistry();
    client.setSslCertificates(List.of(pki.rootPem()));
    return client;
  }
}
