package org.sockscript.websocket;

import java.net.URI;
import java.net.URISyntaxException;
import org.sockscript.internal.Args;

/**
 * A {@code ws://} or {@code wss://} URL taken apart: the socket to open, the name TLS must verify,
 * and the request line's target and Host header. Default ports 80 and 443; the path defaults to
 * {@code /}; a fragment is refused (RFC 6455 3).
 */
record WebSocketUrl(boolean secure, String host, int port, String target, String url) {

  static WebSocketUrl parse(String url) {
    Args.notNull(url, "url");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid WebSocket URL: \"" + url + "\" (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("ws") && !scheme.equals("wss")) {
      throw new IllegalArgumentException("not a valid WebSocket URL: \"" + url
          + "\" (expected the scheme ws or wss, was \"" + scheme + "\")");
    }
    if (uri.getHost() == null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("not a valid WebSocket URL: \"" + url
          + "\" (expected ws[s]://host[:port][/path][?query], without user info or #fragment)");
    }
    boolean secure = scheme.equals("wss");
    int port = uri.getPort() == -1 ? (secure ? 443 : 80) : uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    return new WebSocketUrl(secure, uri.getHost(), port, target, url);
  }

  /** The host as a socket name needs it: IPv6 stays in brackets. */
  String socketName(String label) {
    return host + ":" + port + "|" + label;
  }

  /** The name the server's certificate must carry: the host, without IPv6 brackets. */
  String verificationHost() {
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  /** The Host header: the port only when it is not the scheme's default. */
  String hostHeader() {
    return port == (secure ? 443 : 80) ? host : host + ":" + port;
  }
}
