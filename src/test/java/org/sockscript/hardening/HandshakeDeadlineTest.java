package org.sockscript.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.RecordingListener;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.PythonPeer;
import org.sockscript.testing.TestIdentity;
import org.sockscript.testing.TestPki;

/**
 * A peer that sends one byte of handshake every 300 ms is progress for an idle timer, forever; a
 * handshake must instead complete within the socket timeout interval (1 s here) from its start —
 * {@code openSecure}, {@code secure} as the client or as the server, and a secure listener's
 * connection alike.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandshakeDeadlineTest {

  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final String DRIBBLE = "0.3";

  @Test
  void openSecureToAPeerDribblingItsHandshakeFailsAtTheDeadline() throws Exception {
    try (PythonPeer peer = PythonPeer.server("dribble", "server", "0", DRIBBLE); SocketRegistry sockets = registry()) {
      String name = "127.0.0.1:" + peer.port();
      long start = System.nanoTime();
      assertThatThrownBy(() -> sockets.openSecure(name, false, null))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessage("handshake timeout: not complete after 1000 ms (" + name + ")");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(INTERVAL, INTERVAL.multipliedBy(3));
    }
  }

  @Test
  void secureOnAPlainSocketWhosePeerDribblesFailsAtTheDeadlineWithOneSocketError() throws Exception {
    try (PythonPeer peer = PythonPeer.server("dribble", "server", "0", DRIBBLE); SocketRegistry sockets = registry()) {
      RecordingListener events = new RecordingListener();
      String name = "127.0.0.1:" + peer.port();
      sockets.open(name, events);
      events.awaitEvent("connected " + name, INTERVAL);
      long start = System.nanoTime();
      sockets.secure(name, false, null);
      String error = events.awaitEvent("socketError " + name, INTERVAL.multipliedBy(5));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(INTERVAL, INTERVAL.multipliedBy(3));
      assertThat(error).isEqualTo("socketError " + name + ": handshake timeout: not complete after 1000 ms (" + name + ")");
      assertThatThrownBy(() -> sockets.read(name, Chunk.lines(1))).isInstanceOf(SSLHandshakeException.class);
      assertThat(events.events()).filteredOn(e -> e.startsWith("socketError")).hasSize(1);
    }
  }

  @Test
  void serverSideSecureOnAnAcceptedSocketWhoseClientDribblesFailsAtTheDeadline() throws Exception {
    try (SocketRegistry sockets = registry()) {
      TestIdentity identity = TestPki.get().good();
      sockets.setServerIdentity(identity.chainPem(), identity.keyPem());
      AtomicLong securedAt = new AtomicLong();
      RecordingListener events = new RecordingListener() {
        @Override
        public void newConnection(String socket, String listener) {
          super.newConnection(socket, listener);
          try {
            securedAt.set(System.nanoTime());
            sockets.secure(socket); // the TLS server side of an upgrade in place
          } catch (IOException e) {
            record("secure failed " + e.getMessage());
          }
        }
      };
      String port = sockets.accept(0, events);
      try (PythonPeer client = PythonPeer.client("dribble", "client", port, DRIBBLE)) {
        String error = events.awaitEvent("socketError", INTERVAL.multipliedBy(5));
        assertThat(Duration.ofNanos(System.nanoTime() - securedAt.get())).isBetween(INTERVAL, INTERVAL.multipliedBy(3));
        assertThat(error).matches("socketError (\\S+): handshake timeout: not complete after 1000 ms \\(\\1\\)");
        assertThat(client.awaitOutput("saw closed after", INTERVAL.multipliedBy(5))).as(client.output()).isTrue();
        assertThat(events.events()).filteredOn(e -> e.startsWith("socketError")).hasSize(1);
        assertThat(sockets.openSockets()).containsExactly(port);
      }
    }
  }

  @Test
  void secureListenerDropsAClientDribblingItsHandshakeAtTheDeadline() throws Exception {
    try (SocketRegistry sockets = registry()) {
      TestIdentity identity = TestPki.get().good();
      sockets.setServerIdentity(identity.chainPem(), identity.keyPem());
      RecordingListener events = new RecordingListener();
      String port = sockets.accept(0, events, true);
      try (PythonPeer client = PythonPeer.client("dribble", "client", port, DRIBBLE)) {
        String error = events.awaitEvent("socketError", INTERVAL.multipliedBy(5));
        assertThat(error).matches("socketError (\\S+): handshake timeout: not complete after 1000 ms \\(\\1\\)");
        assertThat(client.awaitOutput("saw closed after", INTERVAL.multipliedBy(5))).as(client.output()).isTrue();
        assertThat(events.events()).noneMatch(e -> e.startsWith("newConnection"));
        assertThat(sockets.openSockets()).containsExactly(port);
      }
    }
  }

  private static SocketRegistry registry() {
    SocketRegistry sockets = new SocketRegistry();
    sockets.setSocketTimeoutInterval(INTERVAL);
    return sockets;
  }
}
