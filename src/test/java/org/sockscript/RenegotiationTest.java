package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sockscript.testing.OpensslClient;
import org.sockscript.testing.TestPki;
import org.sockscript.testing.TlsProviderRegistries;

/**
 * A TLS 1.2 client cannot make a sockscript server run new handshakes at will: renegotiation is
 * refused under both providers (Conscrypt refuses it itself; the JDK's provider would run it),
 * and the connection fails with a reason that says so. TLS 1.3's KeyUpdate, which is not a
 * handshake, still works. The client is {@code openssl s_client}, whose {@code R} command
 * renegotiates and whose {@code K} command sends a KeyUpdate asking for one back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RenegotiationTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestPki pki = TestPki.get();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Conscrypt", "SunJSSE"})
  void clientInitiatedRenegotiationIsRefused(String provider) throws Exception {
    echoSession(provider, "-tls1_2", (server, events, client, accepted) -> {
      assertThat(server.tlsInfo(accepted).provider()).isEqualTo(provider);
      client.send("R\n"); // s_client: renegotiate
      assertThat(events.awaitEvent("socketError", WAIT)).isEqualTo("socketError " + accepted
          + ": the peer tried to renegotiate TLS; refused (" + accepted + ")");
      assertThat(client.exitCode(WAIT)).as("s_client ends: the server closed the connection")
          .isPresent();
      assertThat(events.events()).filteredOn(e -> e.startsWith("socketError")).hasSize(1);
    });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Conscrypt", "SunJSSE"})
  void tls13KeyUpdateStillWorks(String provider) throws Exception {
    echoSession(provider, "-tls1_3", (server, events, client, accepted) -> {
      client.send("K\n"); // s_client: KeyUpdate, and ask for ours
      assertThat(client.awaitOutput("KEYUPDATE", WAIT)).as(client.output()).isTrue();
      client.send("after\n");
      assertThat(client.awaitOutput("echo after", WAIT)).as(client.output()).isTrue();
      assertThat(events.events()).noneMatch(e -> e.startsWith("socketError"));
    });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Conscrypt", "SunJSSE"})
  void tls12CloseNotifyIsACleanCloseNotARenegotiation(String provider) throws Exception {
    echoSession(provider, "-tls1_2", (server, events, client, accepted) -> {
      client.send("Q\n"); // s_client: close_notify, then quit
      assertThat(events.awaitEvent("socketClosed", WAIT)).isEqualTo("socketClosed " + accepted);
      assertThat(events.events()).noneMatch(e -> e.startsWith("socketError"));
    });
  }

  interface Session {
    void run(SocketRegistry server, RecordingListener events, OpensslClient client, String accepted)
        throws Exception;
  }

  /** An echoing secure listener on {@code provider}, an s_client with {@code version} that has had one line echoed. */
  private void echoSession(String provider, String version, Session then) throws Exception {
    try (SocketRegistry server = TlsProviderRegistries.on(provider)) {
      RecordingListener events = echoingServer(server);
      String port = server.accept(0, events, true);
      try (OpensslClient client = client(port, version)) {
        client.send("before\n");
        assertThat(client.awaitOutput("echo before", WAIT)).as(client.output()).isTrue();
        then.run(server, events, client, events.awaitEvent("newConnection", WAIT).split(" ")[1]);
      }
    }
  }

  /** A secure listener whose connections echo each line back, prefixed with {@code echo}. */
  private static RecordingListener echoingServer(SocketRegistry server) throws Exception {
    server.setServerIdentity(TestPki.get().good().chainPem(), TestPki.get().good().keyPem());
    return new RecordingListener() {
      @Override
      public void newConnection(String socket, String listenerName) {
        super.newConnection(socket, listenerName);
        echo(server, socket);
      }

      private void echo(SocketRegistry sockets, String socket) {
        sockets.read(socket, Chunk.lines(1), (s, line) -> {
          try {
            sockets.write(s, "echo " + line, null);
            echo(sockets, s);
          } catch (java.io.UncheckedIOException peerGone) {
            // the client quit (Q) right after its last line: nothing left to echo to
          }
        });
      }
    };
  }

  /** s_client in its interactive mode (no -quiet, no -ign_eof), so R and K are commands. */
  private OpensslClient client(String port, String version) throws Exception {
    return OpensslClient.start("-connect", "127.0.0.1:" + port, version, "-CAfile", pki.rootPem().toString(),
        "-verify_return_error", "-servername", "localhost");
  }
}
