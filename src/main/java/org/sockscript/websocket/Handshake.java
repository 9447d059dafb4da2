package org.sockscript.websocket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;
import org.sockscript.internal.PeerText;

/**
 * The opening handshake (RFC 6455 4.1): the HTTP/1.1 Upgrade request, and the checks of the
 * server's answer — status 101, {@code Upgrade: websocket}, {@code Connection: Upgrade}, and
 * {@code Sec-WebSocket-Accept} = base64(SHA-1(key + the RFC's GUID)). No extension or
 * subprotocol is offered, so a server that names one fails the handshake.
 */
final class Handshake {

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private Handshake() {}

  static String newKey(Random random) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  static String expectedAccept(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JDK", e);
    }
  }

  static byte[] request(WebSocketUrl url, String key) {
    String text = "GET " + url.target() + " HTTP/1.1\r\n"
        + "Host: " + url.hostHeader() + "\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + key + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + "User-Agent: sockscript\r\n"
        + "\r\n";
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Checks the answer's head (status line and headers, up to the empty line). */
  static void check(String head, String key, String url) throws WebSocketProtocolException {
    String[] lines = head.split("\r\n");
    String status = lines[0];
    if (!status.matches("HTTP/1\\.1 101( .*)?")) {
      throw new WebSocketProtocolException("the server answered \"" + PeerText.shorten(status)
          + "\" to the WebSocket upgrade of " + url + " (expected \"HTTP/1.1 101 Switching Protocols\")");
    }
    String upgrade = header(lines, "upgrade");
    String connection = header(lines, "connection");
    String accept = header(lines, "sec-websocket-accept");
    if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
      throw new WebSocketProtocolException("the upgrade of " + url + " answered Upgrade: " + upgrade + " (expected websocket)");
    }
    if (connection == null || !connection.toLowerCase(Locale.ROOT).matches("(.*[ ,])?upgrade([ ,].*)?")) {
      throw new WebSocketProtocolException("the upgrade of " + url + " answered Connection: " + connection + " (expected Upgrade)");
    }
    String expected = expectedAccept(key);
    if (!expected.equals(accept)) {
      throw new WebSocketProtocolException("bad Sec-WebSocket-Accept from " + url + ": expected " + expected
          + ", was " + (accept == null ? "none" : "\"" + PeerText.shorten(accept) + "\""));
    }
    for (String offered : new String[] {"sec-websocket-extensions", "sec-websocket-protocol"}) {
      String value = header(lines, offered);
      if (value != null) {
        throw new WebSocketProtocolException("the upgrade of " + url + " answered " + offered + ": " + value
            + " (none was offered)");
      }
    }
  }

  private static String header(String[] lines, String name) {
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase(name)) {
        return lines[i].substring(colon + 1).trim();
      }
    }
    return null;
  }
}
