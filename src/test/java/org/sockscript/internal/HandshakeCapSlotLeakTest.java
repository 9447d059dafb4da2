package org.sockscript.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.RecordingListener;
import org.sockscript.testing.TestIdentity;
import org.sockscript.testing.TestPki;
import org.sockscript.testing.TlsPeers;

/**
 * A connection a secure listener refuses because its name is taken (two connections from the
 * same remote ip:port to two listeners of one registry: legal TCP, common behind NAT) never
 * counts against the listener's handshake cap, so the listener goes on accepting.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandshakeCapSlotLeakTest {

  @Test
  void aRefusedNameGivesItsHandshakePlaceBack() throws Exception {
    try (SocketCore core = new SocketCore()) {
      TestIdentity identity = TestPki.get().good();
      core.tls.serverIdentity(identity.chainPem(), identity.keyPem());
      RecordingListener events = new RecordingListener();
      ListeningSocket plain = ListeningSocket.open(core, 0, core.sink(events), false);
      ListeningSocket secure = ListeningSocket.open(core, 0, core.sink(events), true);
      core.loop.runAndWait(() -> secure.maxHandshakes = 1, 5, TimeUnit.SECONDS);

      try (Socket first = new Socket(); Socket second = new Socket()) {
        first.setReuseAddress(true);
        first.bind(new InetSocketAddress("127.0.0.1", 0));
        int localPort = first.getLocalPort();
        first.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(plain.name())));
        events.awaitEvent("newConnection 127.0.0.1:" + localPort, Duration.ofSeconds(5));

        second.setReuseAddress(true);
        second.bind(new InetSocketAddress("127.0.0.1", localPort)); // same remote ip:port, other listener
        second.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(secure.name())));
        second.setSoTimeout(5000);
        assertThat(second.getInputStream().read()).as("refused: same name").isEqualTo(-1);

        try (SSLSocket client = (SSLSocket) TlsPeers.jdkContext(null, TestPki.get()).getSocketFactory()
            .createSocket("127.0.0.1", Integer.parseInt(secure.name()))) {
          client.setSoTimeout(5000);
          client.startHandshake(); // on the current code: SocketTimeoutException, never accepted
          assertThat(client.getSession().getProtocol()).startsWith("TLS");
        }
      }
    }
  }
}
