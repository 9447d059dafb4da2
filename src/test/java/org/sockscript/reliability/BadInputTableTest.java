package org.sockscript.reliability;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sockscript.Chunk;
import org.sockscript.RecordingListener;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.FaultPeer;
import org.sockscript.testing.FaultPeer.Fault;
import org.sockscript.testing.LineServer;
import org.sockscript.testing.Loopback;
import org.sockscript.testing.PythonPeer;
import org.sockscript.testing.Socat;
import org.sockscript.testing.SilentServer;
import org.sockscript.testing.TestPki;

/**
 * One test per row of {@code docs/errors.md}: runs the row's bad input and asserts the exception
 * type and message are exactly what the table shows (placeholders filled in). A row without a
 * scenario here, or a scenario without a row, fails {@link #everyScenarioHasARowAndEveryRowAScenario}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputTableTest {

  private static final ErrorTable TABLE = ErrorTable.read(Path.of("docs", "errors.md"));
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** One row's bad input, run against a fresh {@link Fixture}; it must throw. */
  private interface Scenario {
    void run(Fixture f) throws Exception;
  }

  private static final Map<String, Scenario> SCENARIOS = new HashMap<>();

  static {
    SCENARIOS.put("name-null", f -> f.sockets.open(null));
    SCENARIOS.put("name-not-a-port", f -> f.sockets.open("mail:x"));
    SCENARIOS.put("name-port-out-of-range", f -> f.sockets.open("mail:70000"));
    SCENARIOS.put("name-port-zero", f -> f.sockets.open("mail:0"));
    SCENARIOS.put("name-empty-port", f -> f.sockets.open("mail:"));
    SCENARIOS.put("name-empty-host", f -> f.sockets.open(":25"));
    SCENARIOS.put("name-ipv6-without-brackets", f -> f.sockets.open("::1:25"));
    SCENARIOS.put("name-unclosed-bracket", f -> f.sockets.open("[::1:25"));
    SCENARIOS.put("name-brackets-without-ipv6", f -> f.sockets.open("[mail]:25"));
    SCENARIOS.put("name-bad-character", f -> f.sockets.open("mail host:25"));
    SCENARIOS.put("open-twice", f -> f.sockets.open(f.connect()));
    SCENARIOS.put("unknown-socket", f -> f.sockets.write("nope:25", "x"));
    SCENARIOS.put("write-after-close", f -> {
      String name = f.connect();
      f.sockets.close(name);
      f.sockets.write(name, "x");
    });
    SCENARIOS.put("read-after-close", f -> {
      String name = f.connect();
      f.sockets.close(name);
      f.sockets.read(name, Chunk.lines(1));
    });
    SCENARIOS.put("write-after-peer-closed", f -> f.sockets.write(f.connectToAPeerThatHungUpAndIdledOut(), "x"));
    SCENARIOS.put("read-after-peer-closed", f -> f.sockets.read(f.connectToAPeerThatHangsUp(), Chunk.until("\r\n")));
    SCENARIOS.put("read-on-listener", f -> f.sockets.read(f.listen(), Chunk.lines(1)));
    SCENARIOS.put("write-on-listener", f -> f.sockets.write(f.listen(), "x"));
    SCENARIOS.put("secure-on-listener", f -> f.sockets.secure(f.listen()));
    SCENARIOS.put("secure-twice", f -> {
      String name = f.connectSecured();
      f.sockets.secure(name, true, "localhost");
    });
    SCENARIOS.put("secure-mid-upgrade", f -> {
      String name = f.connectToASilentPeer();
      f.sockets.secure(name, false, null); // the silent peer never answers the ClientHello
      f.sockets.secure(name, false, null);
    });
    SCENARIOS.put("secure-after-close", f -> {
      String name = f.connect();
      f.sockets.close(name);
      f.sockets.secure(name);
    });
    SCENARIOS.put("resume-not-secure", f -> f.sockets.openSecureResuming("localhost:2121", f.connect()));
    SCENARIOS.put("alpn-empty-protocol", f -> org.sockscript.TlsOptions.builder().applicationProtocols("h2", ""));
    SCENARIOS.put("pin-wrong-form", f -> org.sockscript.CertificatePins.builder().add("example.org", "sha1/AAAA"));
    SCENARIOS.put("tlsinfo-not-secure", f -> f.sockets.tlsInfo(f.connect()));
    SCENARIOS.put("null-text", f -> f.sockets.write(f.connect(), (String) null));
    SCENARIOS.put("null-bytes", f -> f.sockets.write(f.connect(), (byte[]) null));
    SCENARIOS.put("null-chunk", f -> f.sockets.read(f.connect(), null));
    SCENARIOS.put("null-callback", f -> f.sockets.read(f.connect(), Chunk.lines(1), null));
    SCENARIOS.put("range-outside-array", f -> f.sockets.readBytes(f.connect(), new byte[10], 4, 8));
    SCENARIOS.put("slice-write-negative-offset", f -> f.sockets.write(f.connect(), new byte[10], -1, 2));
    SCENARIOS.put("stream-of-closed-socket", f -> {
      String name = f.connect();
      f.sockets.close(name);
      f.sockets.inputStream(name);
    });
    SCENARIOS.put("negative-count", f -> Chunk.bytes(-1));
    SCENARIOS.put("zero-count", f -> Chunk.lines(0));
    SCENARIOS.put("empty-delimiter", f -> Chunk.until(""));
    SCENARIOS.put("read-larger-than-inbound-limit", f -> {
      f.sockets.setInboundLimit(65536);
      f.sockets.read(f.connectToAPeerThatSends(65536), Chunk.bytes(100000));
    });
    SCENARIOS.put("inbound-limit-too-small", f -> f.sockets.setInboundLimit(10));
    SCENARIOS.put("timeout-not-positive", f -> f.sockets.setSocketTimeoutInterval(Duration.ZERO));
    SCENARIOS.put("accept-bad-port", f -> f.sockets.accept(70000, new RecordingListener()));
    SCENARIOS.put("port-in-use", f -> {
      try (ServerSocket taken = new ServerSocket(0)) {
        f.vars.put("<port>", String.valueOf(taken.getLocalPort()));
        f.sockets.accept(taken.getLocalPort(), new RecordingListener());
      }
    });
    SCENARIOS.put("accept-secure-without-identity", f -> f.sockets.accept(0, new RecordingListener(), true));
    SCENARIOS.put("read-truncated", f -> f.sockets.read(f.connectToATlsPeerThatCutsAfterTheHeader(), Chunk.untilEnd()));
    SCENARIOS.put("handshake-deadline", f -> {
      f.sockets.setSocketTimeoutInterval(Duration.ofSeconds(1));
      f.sockets.openSecure(f.name(f.keep(PythonPeer.server("dribble", "server", "0", "0.3")).port()), false, null);
    });
    SCENARIOS.put("secure-after-peer-hung-up", f -> {
      String name = f.connectToAPeerThatSaysGoAheadAndHangsUp();
      f.sockets.secure(name);
      f.sockets.read(name, Chunk.lines(1));
    });
    SCENARIOS.put("callback-verb-after-failure", f -> {
      String name = f.connectToAPeerThatSaysGoAheadAndHangsUp();
      f.sockets.secure(name);
      f.awaitGone(name);
      f.sockets.write(name, "x", null);
    });
    SCENARIOS.put("verification-host-blank", f -> f.sockets.secure(f.connect(), true, " "));
    SCENARIOS.put("unverified-with-own-context", f -> {
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(null, null, null);
      f.sockets.setSslContext(context);
      f.sockets.openSecure(f.name(f.keep(LineServer.echo()).port()), false, null);
    });
    SCENARIOS.put("client-certificates-without-roots", f -> {
      f.sockets.setServerIdentity(TestPki.get().good().chainPem(), TestPki.get().good().keyPem());
      f.sockets.setRequireClientCertificates(true);
      f.sockets.accept(0, new RecordingListener(), true);
    });
    SCENARIOS.put("plaintext-before-handshake", f -> {
      String name = f.open(f.keep(Socat.listen("SYSTEM:echo 220 2.0.0 Ready to start TLS; sleep 2")).port());
      f.sockets.write(name, "STARTTLS\r\n");
      f.sockets.secure(name, false, null);
      f.sockets.read(name, Chunk.lines(1));
    });
    SCENARIOS.put("alert-unencrypted", f -> {
      String name = f.acceptAStarttlsClientThatDistrustsUs();
      f.sockets.secure(name);
      f.sockets.read(name, Chunk.lines(1));
    });
    SCENARIOS.put("websocket-url-scheme", f -> org.sockscript.websocket.WebSocket.connect(f.sockets, "http://127.0.0.1/"));
    SCENARIOS.put("websocket-url-fragment", f -> org.sockscript.websocket.WebSocket.connect(f.sockets, "ws://127.0.0.1/#top"));
    SCENARIOS.put("socketio-url-namespace", f -> new org.sockscript.socketio.SocketIoClient(f.sockets, "https://127.0.0.1/admin"));
    SCENARIOS.put("push-identity-not-ed25519", f -> org.sockscript.push.PushIdentity.of(
        java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair()));
    SCENARIOS.put("push-device-id-null", f -> new org.sockscript.push.PushClient(f.sockets, "https://127.0.0.1",
        org.sockscript.push.PushIdentity.generate(), null));
    SCENARIOS.put("datagram-too-large", f -> {
      String name = f.name(Loopback.freePort());
      f.sockets.openDatagram(name);
      f.sockets.write(name, new byte[65508]);
    });
    SCENARIOS.put("datagram-read", f -> {
      String name = f.name(Loopback.freePort());
      f.sockets.openDatagram(name, (s, p, d) -> { });
      f.sockets.read(name, Chunk.lines(1));
    });
    SCENARIOS.put("datagram-broadcast-off", f -> {
      f.sockets.openDatagram("127.255.255.255:9");
      f.sockets.write("127.255.255.255:9", "x");
    });
    SCENARIOS.put("write-datagram-not-listener", f -> f.sockets.writeDatagram(f.listen(), "127.0.0.1:9", "x"));
    SCENARIOS.put("datagram-port-in-use", f -> {
      try (java.net.DatagramSocket taken = new java.net.DatagramSocket(0)) {
        f.vars.put("<port>", String.valueOf(taken.getLocalPort()));
        f.sockets.acceptDatagram(taken.getLocalPort(), (s, p, d) -> { });
      }
    });
    SCENARIOS.put("write-on-datagram-listener", f -> {
      String listener = f.sockets.acceptDatagram(0, (s, p, d) -> { });
      f.vars.put("<listener>", listener);
      f.sockets.write(listener, "x");
    });
    SCENARIOS.put("datagram-bind-local-unavailable", f -> f.sockets.openDatagramFrom("192.0.2.1", "127.0.0.1:9", (s, p, d) -> { }));
    SCENARIOS.put("listen-address-not-ip", f -> f.sockets.accept("localhost", 0, new RecordingListener(), false));
    SCENARIOS.put("bind-local-unavailable", f -> f.sockets.openFrom("192.0.2.1", f.name(Integer.parseInt(f.listen()))));
    SCENARIOS.put("connect-from-other-family", f -> {
      String name = f.name(Integer.parseInt(f.listen()));
      f.sockets.setDefaultNetworkInterface("::1");
      f.sockets.open(name);
    });
    SCENARIOS.put("listen-address-unavailable", f -> f.sockets.accept("192.0.2.1", 0, new RecordingListener(), false));
    SCENARIOS.put("local-address-unparsable", f -> f.sockets.openFrom("127.0.0.1:x", "127.0.0.1:9"));
    SCENARIOS.put("local-host-unresolvable", f -> f.sockets.openFrom("no-such-host.invalid", "127.0.0.1:9"));
    SCENARIOS.put("default-interface-not-ip", f -> f.sockets.setDefaultNetworkInterface("eth0"));
    SCENARIOS.put("reverse-lookup-not-ip", f -> f.sockets.hostAddressToName("localhost"));
    SCENARIOS.put("reverse-lookup-no-name", f -> f.sockets.hostAddressToName("192.0.2.1"));
    SCENARIOS.put("verification-untrusted", f -> f.sockets.openSecure(f.name(f.secureListener()), true, "localhost"));
    SCENARIOS.put("verification-wrong-host", f -> {
      f.sockets.setSslCertificates(List.of(TestPki.get().rootPem()));
      f.sockets.openSecure(f.name(f.secureListener()), true, "mail.example.com");
    });
    SCENARIOS.put("unknown-host", f -> f.sockets.open("no-such-host.invalid:25"));
    SCENARIOS.put("read-timeout", f -> {
      f.sockets.setSocketTimeoutInterval(Duration.ofSeconds(1));
      f.sockets.read(f.connectToASilentPeer(), Chunk.until("\r\n"));
    });
    SCENARIOS.put("not-tls", f -> f.sockets.openSecure(f.name(f.keep(LineServer.start(s -> {
      s.getOutputStream().write("220 mail.test.example ESMTP\r\n".getBytes(ISO_8859_1));
      LineServer.readLine(s.getInputStream()); // then wait for the client to go
    })).port()), false, null));
    SCENARIOS.put("connection-refused", f -> {
      int port = Loopback.freePort();
      f.vars.put("<port>", String.valueOf(port));
      f.sockets.open(Loopback.HOST + ":" + port);
    });
  }

  static Stream<String> rows() {
    return TABLE.ids().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void theErrorIsExactlyWhatTheTableShows(String id) throws Exception {
    Scenario scenario = SCENARIOS.get(id);
    assertThat(scenario).as("a scenario for row %s of docs/errors.md", id).isNotNull();
    ErrorTable.Row row = TABLE.row(id);
    try (Fixture f = new Fixture()) {
      Throwable thrown = catchThrowable(() -> scenario.run(f));
      assertThat(thrown).as("row %s: the call must throw", id).isNotNull();
      assertThat(thrown.getClass().getSimpleName()).as("row %s: exception type; thrown: %s", id, thrown)
          .isEqualTo(row.exception());
      assertThat(thrown).as("row %s: message", id).hasMessage(f.fill(row.message()));
    }
  }

  @Test
  void everyScenarioHasARowAndEveryRowAScenario() {
    assertThat(TABLE.ids()).hasSizeGreaterThanOrEqualTo(30).containsExactlyInAnyOrderElementsOf(SCENARIOS.keySet());
  }

  /** A registry and whatever peers a scenario asks for; {@link #vars} fills the table's placeholders. */
  private static final class Fixture implements AutoCloseable {
    final SocketRegistry sockets = new SocketRegistry();
    final Map<String, String> vars = new HashMap<>();
    private final List<AutoCloseable> peers = new java.util.ArrayList<>();

    /** A plaintext socket to an echo peer; sets {@code <name>} and {@code <port>}. */
    String connect() throws Exception {
      return open(keep(LineServer.echo()).port());
    }

    String connectToAPeerThatHangsUp() throws Exception {
      LineServer peer = keep(LineServer.start(s -> { }));
      RecordingListener events = new RecordingListener();
      String name = name(peer.port());
      sockets.open(name, events);
      events.awaitEvent("socketClosed " + name, WAIT);
      return name;
    }

    /** As above, then the half-closed socket idles for the (short) timeout and closes by itself. */
    String connectToAPeerThatHungUpAndIdledOut() throws Exception {
      sockets.setSocketTimeoutInterval(java.time.Duration.ofMillis(200));
      String name = connectToAPeerThatHangsUp();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (sockets.openSockets().contains(name) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      return name;
    }

    /** A TLS socket whose peer (Python's ssl) sent {@code HEADER\r\nAMOUNT=100} and cut TCP; the header is read. */
    String connectToATlsPeerThatCutsAfterTheHeader() throws Exception {
      sockets.setSslCertificates(List.of(TestPki.get().rootPem()));
      PythonPeer peer = keep(PythonPeer.server("tls-send-then-end", TestPki.get().good().chainPem().toString(),
          TestPki.get().good().keyPem().toString(), "cut", "HEADER\\r\\nAMOUNT=100"));
      String name = name(peer.port());
      sockets.openSecure(name, true, "localhost");
      sockets.read(name, Chunk.until("\r\n"));
      peer.awaitOutput("saw done", WAIT);
      return name;
    }

    /** A plain socket to socat answering {@code 220 go ahead} and hanging up; the answer is read. */
    String connectToAPeerThatSaysGoAheadAndHangsUp() throws Exception {
      String name = open(keep(Socat.listen("SYSTEM:echo 220 go ahead; sleep 0.2")).port());
      sockets.read(name, Chunk.until("\n"));
      return name;
    }

    /**
     * The accepted socket of a Python (OpenSSL 3) client that sent STARTTLS and trusts only the
     * system's roots; its STARTTLS is read and the reply queued. Sets {@code <name>}.
     */
    String acceptAStarttlsClientThatDistrustsUs() throws Exception {
      sockets.setServerIdentity(TestPki.get().good().chainPem(), TestPki.get().good().keyPem());
      RecordingListener events = new RecordingListener();
      String port = sockets.accept(0, events);
      keep(PythonPeer.client("starttls-client-distrusting", port));
      String name = events.awaitEvent("newConnection", WAIT).split(" ")[1];
      vars.put("<name>", name);
      sockets.read(name, Chunk.until("\r\n"));
      sockets.write(name, "220 go ahead\r\n", null);
      return name;
    }

    /** Waits until {@code name} has left openSockets (it ended). */
    void awaitGone(String name) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (sockets.openSockets().contains(name) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }

    String connectToAPeerThatSends(int bytes) throws Exception {
      return open(keep(LineServer.start(s -> {
        s.getOutputStream().write("x".repeat(bytes).getBytes(ISO_8859_1));
        LineServer.readLine(s.getInputStream()); // then wait for the client to go
      })).port());
    }

    String connectToASilentPeer() throws Exception {
      return open(keep(SilentServer.start()).port());
    }

    /** A socket upgraded with STARTTLS to a well-behaved peer, its handshake finished. */
    String connectSecured() throws Exception {
      FaultPeer peer = keep(FaultPeer.start(Fault.NONE));
      sockets.setSslCertificates(List.of(TestPki.get().rootPem()));
      String name = open(peer.port());
      sockets.read(name, Chunk.until("\r\n"));
      sockets.write(name, "STARTTLS\r\n");
      sockets.read(name, Chunk.until("\r\n"));
      sockets.secure(name, true, "localhost");
      sockets.tlsInfo(name); // waits for the handshake
      return name;
    }

    /** The port of a secure listener of this registry, with the test PKI's {@code localhost} certificate. */
    int secureListener() throws Exception {
      sockets.setServerIdentity(TestPki.get().good().chainPem(), TestPki.get().good().keyPem());
      return Integer.parseInt(sockets.accept(0, new RecordingListener(), true));
    }

    /** A listener; sets {@code <listener>}. */
    String listen() throws Exception {
      String listener = sockets.accept(0, new RecordingListener());
      vars.put("<listener>", listener);
      return listener;
    }

    String open(int port) throws Exception {
      String name = name(port);
      sockets.open(name);
      return name;
    }

    String name(int port) {
      String name = Loopback.HOST + ":" + port;
      vars.put("<name>", name);
      vars.put("<port>", String.valueOf(port));
      return name;
    }

    <T extends AutoCloseable> T keep(T peer) {
      peers.add(peer);
      return peer;
    }

    String fill(String message) {
      String filled = message;
      for (Map.Entry<String, String> v : vars.entrySet()) {
        filled = filled.replace(v.getKey(), v.getValue());
      }
      return filled;
    }

    @Override
    public void close() throws Exception {
      sockets.close();
      for (AutoCloseable peer : peers) {
        peer.close();
      }
    }
  }
}
