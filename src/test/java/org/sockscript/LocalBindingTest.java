package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sockscript.testing.Loopback;
import org.sockscript.testing.Registries;
import org.sockscript.testing.Socat;

/**
 * Local binding, LiveCode's {@code open socket from} and {@code defaultNetworkInterface}: the
 * local address (and port) of outgoing sockets, per call and as a registry default, and
 * listeners on one address only. Linux answers on all of 127.0.0.0/8, so 127.0.0.2 is a second
 * local address to tell them apart.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalBindingTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension final Registries registries = new Registries();
  private final SocketRegistry sockets = registries.add(new SocketRegistry());

  @Test
  void openFromChoosesTheLocalAddressAndPortASocatPeerSees() throws Exception {
    try (Socat peer = Socat.listen("SYSTEM:echo $SOCAT_PEERADDR $SOCAT_PEERPORT")) {
      int localPort = Loopback.freePort();
      String name = "127.0.0.1:" + peer.port();
      sockets.openFrom("127.0.0.2:" + localPort, name);
      assertThat(sockets.hostAddress(name)).isEqualTo("127.0.0.2:" + localPort);
      assertThat(sockets.read(name, Chunk.lines(1))).isEqualTo("127.0.0.2 " + localPort + "\n"); // (socat reads a colon as its own separator)
    }
  }

  @Test
  void theDefaultNetworkInterfaceBindsOpensAndListeners() throws Exception {
    sockets.setDefaultNetworkInterface("127.0.0.2");
    assertThat(sockets.defaultNetworkInterface()).isEqualTo("127.0.0.2");
    RecordingListener events = new RecordingListener();
    String port = sockets.accept(0, events);
    assertThatThrownBy(() -> new Socket("127.0.0.1", Integer.parseInt(port)).close())
        .isInstanceOf(ConnectException.class); // the listener is on 127.0.0.2 only
    String name = "127.0.0.2:" + port;
    sockets.open(name);
    assertThat(sockets.hostAddress(name)).startsWith("127.0.0.2:");
    events.awaitEvent("newConnection " + sockets.hostAddress(name), WAIT);
    sockets.setDefaultNetworkInterface(null);
    assertThat(sockets.defaultNetworkInterface()).isNull();
  }

  @Test
  void aListenerOnLoopbackOnlyIsNotReachableOnAnotherAddress() throws Exception {
    RecordingListener events = new RecordingListener();
    String port = sockets.accept("127.0.0.1", 0, events, false);
    try (Socket ok = new Socket("127.0.0.1", Integer.parseInt(port))) {
      events.awaitEvent("newConnection 127.0.0.1:" + ok.getLocalPort(), WAIT);
    }
    assertThatThrownBy(() -> new Socket("127.0.0.2", Integer.parseInt(port)).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void openFromWorksOverIpv6AndWithOnlyAPort() throws Exception {
    RecordingListener events = new RecordingListener();
    String port = sockets.accept("::1", 0, events, false);
    String name = "[::1]:" + port;
    int localPort = Loopback.freePort();
    sockets.openFrom(":" + localPort, name, events);
    events.awaitEvent("connected " + name, WAIT);
    assertThat(sockets.hostAddress(name)).isEqualTo("[::1]:" + localPort);
  }

  @Test
  void anAddressThatCannotBeBoundIsNamedInTheError() throws Exception {
    String port = sockets.accept("127.0.0.1", 0, new RecordingListener(), false);
    assertThatThrownBy(() -> sockets.openFrom("192.0.2.1", "127.0.0.1:" + port))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("can't bind to local host and port 192.0.2.1:0: Cannot assign requested address");
    assertThat(sockets.openSockets()).containsExactly(port); // nothing half-open is left
  }

  @Test
  void aConnectThatFailsFromAChosenLocalAddressNamesThatAddress() throws Exception {
    String port = sockets.accept("127.0.0.1", 0, new RecordingListener(), false);
    sockets.setDefaultNetworkInterface("::1"); // IPv6 loopback, to an IPv4 host: no route
    assertThatThrownBy(() -> sockets.open("127.0.0.1:" + port))
        .isInstanceOf(ConnectException.class)
        .hasMessageStartingWith("can't connect to host: 127.0.0.1:" + port + " from [::1]:0: ");
    assertThat(sockets.openSockets()).containsExactly(port);
  }
}
