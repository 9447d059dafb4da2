package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.SilentServer;
import org.sockscript.testing.TestPki;

/** DESIGN §4 rule 6: secure on a socket that cannot be upgraded is an error, never a no-op. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SecureMisuseTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestPki pki = TestPki.get();

  @Test
  void secureOnAnAlreadySecureSocketIsRefused() throws Exception {
    try (SocketRegistry server = new SocketRegistry(); SocketRegistry client = new SocketRegistry()) {
      server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
      client.setSslCertificates(List.of(pki.rootPem()));
      String name = "localhost:" + server.accept(0, new RecordingListener(), true);
      client.openSecure(name, true, null);
      assertThatThrownBy(() -> client.secure(name))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("socket is already secure: \"" + name + "\"");
      client.write(name, "still usable\n"); // the refusal changed nothing
    }
  }

  @Test
  void secureDuringAHandshakeIsRefused() throws Exception {
    try (SilentServer silent = SilentServer.start(); SocketRegistry client = new SocketRegistry()) {
      String name = "localhost:" + silent.port();
      client.open(name);
      client.secure(name);
      assertThatThrownBy(() -> client.secure(name, false, null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("socket is mid-upgrade: \"" + name + "\" (its TLS handshake has not finished)");
    }
  }

  @Test
  void secureOnAClosedSocketIsRefused() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      pair.client.close(name);
      assertThatThrownBy(() -> pair.client.secure(name))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("socket is not open: \"" + name + "\"");
    }
  }

  @Test
  void secureOnAListenerIsRefused() throws Exception {
    try (SocketRegistry sockets = new SocketRegistry()) {
      String port = sockets.accept(0, new RecordingListener());
      assertThatThrownBy(() -> sockets.secure(port))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("\"" + port + "\" is a listener (made by accept), not a connection");
    }
  }

  @Test
  void secureOnAnAcceptedSocketWithoutServerIdentityNamesWhatIsMissing() throws Exception {
    try (SocketRegistry server = new SocketRegistry(); SocketRegistry client = new SocketRegistry()) {
      RecordingListener events = new RecordingListener();
      String port = server.accept(0, events);
      client.open("localhost:" + port);
      String accepted = events.awaitEvent("newConnection", WAIT).split(" ")[1];
      assertThatThrownBy(() -> server.secure(accepted))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no server identity: call setServerIdentity(chainPem, keyPem)");
      assertThat(server.openSockets()).contains(accepted);
    }
  }

  @Test
  void secureAcceptListenerWithoutServerIdentityIsRefused() {
    try (SocketRegistry server = new SocketRegistry()) {
      assertThatThrownBy(() -> server.accept(0, new RecordingListener(), true))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("needs a server identity");
    }
  }
}
