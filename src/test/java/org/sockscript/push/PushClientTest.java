package org.sockscript.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.NodePeer;
import org.sockscript.testing.NodeSockets;
import org.sockscript.testing.TestPki;

/**
 * The push client against a real socket.io v4 server (Node, {@code src/test/node/push-server}),
 * over wss with the test PKI and over ws: every answer the protocol names, messages with their
 * acknowledgements seen by the server, and the failures a script must see clearly.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PushClientTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final PushIdentity me = PushIdentity.generate();
  @RegisterExtension
  final NodeSockets node = new NodeSockets();
  private SocketRegistry sockets;

  @BeforeEach
  void trustTheTestRoot() throws Exception {
    sockets = node.sockets();
    sockets.setSslCertificates(List.of(TestPki.get().rootPem()));
  }

  private NodePeer server(PushServerConfig config, boolean tls) throws Exception {
    return node.start("server.js", (tls ? config.tls(TestPki.get().good()) : config).json());
  }

  private static String url(NodePeer server, boolean tls) {
    return (tls ? "https" : "http") + "://127.0.0.1:" + server.port();
  }

  private static boolean is(JsonObject event, String name) {
    return event.get("event").getAsString().equals(name);
  }

  @ParameterizedTest(name = "tls={0}")
  @ValueSource(booleans = {true, false})
  void authorizedClientReceivesEveryMessageAndTheServerSeesEachAcknowledgement(boolean tls) throws Exception {
    byte[] everyByte = new byte[256];
    for (int i = 0; i < 256; i++) {
      everyByte[i] = (byte) i;
    }
    byte[] big = new byte[70_000];
    new Random(12).nextBytes(big);
    PushServerConfig config = new PushServerConfig().registered(me.username("phone-1"))
        .message("m1", "h1".getBytes(StandardCharsets.UTF_8), everyByte).message("m2", new byte[0], big);
    try (NodePeer server = server(config, tls)) {
      List<PushMessage> received = new CopyOnWriteArrayList<>();
      PushClient push = new PushClient(sockets, url(server, tls), me, "phone-1");
      push.onMessage(received::add);
      Authorization answer = push.connect();

      assertThat(answer.authorized()).as("%s / server: %s", answer, server.output()).isTrue();
      assertThat(answer.reason()).isNull();
      assertThat(answer.retried()).isFalse();
      assertThat(server.awaitEvent(e -> is(e, "recieved") && e.get("messageId").getAsString().equals("m2"), WAIT))
          .as(server.output()).isNotNull();
      assertThat(server.events().stream().filter(e -> is(e, "recieved")).map(e -> e.get("messageId").getAsString()))
          .containsExactly("m1", "m2");
      assertThat(received).extracting(PushMessage::id).containsExactly("m1", "m2");
      assertThat(received.get(0).header()).isEqualTo("h1".getBytes(StandardCharsets.UTF_8));
      assertThat(received.get(0).body()).isEqualTo(everyByte);
      assertThat(received.get(1).header()).isEmpty();
      assertThat(received.get(1).body()).isEqualTo(big);
      assertThat(push.socketName()).isEqualTo("127.0.0.1:" + server.port() + "|ws");
      if (tls) {
        assertThat(sockets.tlsInfo(push.socketName()).toString()).contains("verified");
      }
      push.close();
      assertThat(server.awaitEvent(e -> is(e, "disconnect"), WAIT)).isNotNull();
      assertThat(sockets.openSockets()).isEmpty();
    }
  }

  @Test
  void theAcknowledgementGoesAfterTheHandlerReturnsAndNotWhenItThrows() throws Exception {
    PushServerConfig config = new PushServerConfig().registered(me.username("phone-1"))
        .message("m1", new byte[0], new byte[] {1}).message("m2", new byte[0], new byte[] {2});
    try (NodePeer server = server(config, false)) {
      CountDownLatch handling = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      PushClient push = new PushClient(sockets, url(server, false), me, "phone-1");
      push.onMessage(m -> {
        if (m.id().equals("m1")) {
          throw new IllegalStateException("this handler fails on purpose");
        }
        handling.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertThat(push.connect().authorized()).isTrue();
      assertThat(handling.await(10, TimeUnit.SECONDS)).as("m2's handler runs after m1's threw").isTrue();
      Thread.sleep(300);
      assertThat(server.events()).as("no ack while m2's handler runs, none for m1").noneMatch(e -> is(e, "recieved"));

      release.countDown();
      assertThat(server.awaitEvent(e -> is(e, "recieved"), WAIT)).as(server.output()).isNotNull();
      push.close();
      assertThat(server.awaitEvent(e -> is(e, "disconnect"), WAIT)).isNotNull();
      assertThat(server.events().stream().filter(e -> is(e, "recieved")).map(e -> e.get("messageId").getAsString()))
          .containsExactly("m2");
    }
  }

  @Test
  void timeAnswerIsRetriedOnceSigningTheServersTime() throws Exception {
    PushServerConfig config = new PushServerConfig().registered(me.username("phone-1")).clockOffsetSeconds(3600);
    try (NodePeer server = server(config, true)) {
      long before = System.currentTimeMillis() / 1000;
      Authorization answer = new PushClient(sockets, url(server, true), me, "phone-1").connect();

      assertThat(answer.authorized()).as("%s / server: %s", answer, server.output()).isTrue();
      assertThat(answer.retried()).isTrue();
      assertThat(answer.serverTime().getAsLong()).isBetween(before + 3600, before + 3600 + 30);
      assertThat(server.awaitEvent(e -> is(e, "answer") && e.get("authorized").getAsBoolean(), WAIT))
          .as(server.output()).isNotNull(); // the server's output arrives through a pipe, maybe after our answer
      List<JsonObject> answers = server.events().stream().filter(e -> is(e, "answer")).toList();
      assertThat(answers).hasSize(2);
      assertThat(answers.get(0).getAsJsonObject("data").get("message").getAsString()).isEqualTo("time");
      assertThat(server.events().stream().filter(e -> is(e, "authentication")).toList().get(1)
          .get("password").getAsString()).startsWith(answer.serverTime().getAsLong() + "|");
    }
  }

  @Test
  void aSignatureByAnotherKeyIsRefusedWithReasonSignature() throws Exception {
    KeyPair other = PushIdentity.generate().keyPair();
    PushIdentity forged = PushIdentity.of(new KeyPair(me.keyPair().getPublic(), other.getPrivate()));
    try (NodePeer server = server(new PushServerConfig().registered(me.username("phone-1")), true)) {
      Authorization answer = new PushClient(sockets, url(server, true), forged, "phone-1").connect();
      assertThat(answer.authorized()).isFalse();
      assertThat(answer.reason()).isEqualTo(Authorization.SIGNATURE);
      assertThat(answer.serverTime()).isEmpty();
      assertThat(answer.retried()).isFalse();
      assertThat(sockets.openSockets()).as("a refused client leaves nothing open").isEmpty();
    }
  }

  @Test
  void anUnregisteredDeviceIsRefusedWithReasonNotRegistered() throws Exception {
    try (NodePeer server = server(new PushServerConfig().registered(me.username("phone-1")), true)) {
      Authorization answer = new PushClient(sockets, url(server, true), me, "tablet-2").connect();
      assertThat(answer.reason()).isEqualTo(Authorization.NOT_REGISTERED);
      assertThat(answer.toString()).isEqualTo("not authorized: not registered");
    }
  }

  @Test
  void aRevokedKeyIsRefusedWithReasonRevoked() throws Exception {
    PushServerConfig config = new PushServerConfig().registered(me.username("phone-1")).revoked(me.identityKey());
    try (NodePeer server = server(config, false)) {
      Authorization answer = new PushClient(sockets, url(server, false), me, "phone-1").connect();
      assertThat(answer.reason()).isEqualTo(Authorization.REVOKED);
    }
  }

  @Test
  void aDeviceIdWithTheSeparatorIsPassedOnAndTheServerCallsItBadlyFormed() throws Exception {
    try (NodePeer server = server(new PushServerConfig(), true)) {
      Authorization answer = new PushClient(sockets, url(server, true), me, "phone|1").connect();
      assertThat(answer.reason()).isEqualTo(Authorization.BADLY_FORMED_CREDENTIALS);
      assertThat(server.awaitEvent(e -> is(e, "authentication"), WAIT).get("username").getAsString())
          .isEqualTo(me.identityKey() + "|phone|1");
    }
  }

  @Test
  void aCertificateForAnotherHostFailsTheConnectWithTheHostnameReason() throws Exception {
    PushServerConfig config = new PushServerConfig().tls(TestPki.get().wrongHost());
    try (NodePeer server = node.start("server.js", config.json())) {
      PushClient push = new PushClient(sockets, url(server, true), me, "phone-1");
      assertThatThrownBy(push::connect).isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("hostname mismatch: expected 127.0.0.1")
          .hasMessageContaining("other.test.example");
      assertThat(server.events().stream().anyMatch(e -> is(e, "authentication"))).isFalse();
      assertThat(sockets.openSockets()).isEmpty();
    }
  }
}
