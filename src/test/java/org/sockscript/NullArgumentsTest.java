package org.sockscript;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.push.PushClient;
import org.sockscript.push.PushIdentity;
import org.sockscript.socketio.SocketIoClient;
import org.sockscript.testing.LineServer;
import org.sockscript.websocket.WebSocket;

/**
 * The protocol clients and {@link TlsOptions.Builder} refuse a null argument as
 * {@link SocketRegistry} does ({@link MisuseTest}): {@code IllegalArgumentException("<parameter> == null")},
 * before any I/O. Arguments documented as nullable (wire logs, handlers, an SSLContext) are not listed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NullArgumentsTest {

  private final SoftAssertions soft = new SoftAssertions(); // every wrong one is listed, not just the first

  @Test
  void nullArgumentsAreRefusedNamingTheParameter() throws Exception {
    try (SocketRegistry sockets = new SocketRegistry(); LineServer server = LineServer.start(NullArgumentsTest::acceptUpgrade)) {
      String url = "ws://127.0.0.1:" + server.port() + "/";
      assertNamed(() -> WebSocket.connect(null, url), "sockets");
      assertNamed(() -> WebSocket.connect(sockets, null), "url");
      assertNamed(() -> WebSocket.connect(null, url, line -> { }), "sockets");

      WebSocket ws = WebSocket.connect(sockets, url);
      try {
        assertNamed(() -> ws.sendText(null), "text");
        assertNamed(() -> ws.sendBinary(null), "data");
        assertNamed(() -> ws.ping(null), "payload");
        assertNamed(() -> ws.close(1000, null), "reason");
      } finally {
        ws.abort();
      }

      assertNamed(() -> new SocketIoClient(null, "http://127.0.0.1"), "sockets");
      assertNamed(() -> new SocketIoClient(sockets, null), "url");
      SocketIoClient io = new SocketIoClient(sockets, "http://127.0.0.1");
      assertNamed(() -> io.on(null, args -> { }), "name");
      assertNamed(() -> io.on("event", null), "handler");
      assertNamed(() -> io.emit(null), "name");
      assertNamed(() -> io.emit("event", (com.google.gson.JsonElement[]) null), "args");

      PushIdentity me = PushIdentity.generate();
      assertNamed(() -> new PushClient(null, "https://127.0.0.1", me, "phone-1"), "sockets");
      assertNamed(() -> new PushClient(sockets, null, me, "phone-1"), "url");
      assertNamed(() -> new PushClient(sockets, "https://127.0.0.1", null, "phone-1"), "identity");
      assertNamed(() -> new PushClient(sockets, "https://127.0.0.1", me, null), "deviceId");
      assertNamed(() -> PushIdentity.of(null), "keys");
      assertNamed(() -> me.username(null), "deviceId");
    }

    TlsOptions.Builder builder = TlsOptions.builder();
    assertNamed(() -> builder.serverIdentity(null, "pw".toCharArray()), "keyStore");
    assertNamed(() -> builder.applicationProtocols((String[]) null), "protocols");
    assertNamed(() -> builder.pins(null), "pins");
    assertNamed(() -> CertificatePins.builder().add("example.org", (String[]) null), "pins");
    assertNamed(() -> new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", null, false, null, "JDK"), "peerCertificates");
    soft.assertAll();
  }

  private void assertNamed(ThrowingCallable call, String parameter) {
    soft.assertThatThrownBy(call).as("a null %s", parameter)
        .isInstanceOf(IllegalArgumentException.class).hasMessage(parameter + " == null");
  }

  /** Just enough of a WebSocket server for the client to open: the 101 answer, then silence. */
  private static void acceptUpgrade(java.net.Socket s) throws Exception {
    InputStream in = s.getInputStream();
    String key = null;
    for (String line; (line = LineServer.readLine(in)) != null && !line.isEmpty(); ) {
      if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
        key = line.substring(line.indexOf(':') + 1).trim();
      }
    }
    byte[] sha1 = MessageDigest.getInstance("SHA-1")
        .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + Base64.getEncoder().encodeToString(sha1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    in.transferTo(java.io.OutputStream.nullOutputStream()); // until the client goes
  }
}
