package org.sockscript.socketio;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The WebSocket URL of an Engine.IO 4 session: {@code http(s)://host[:port][?query]} (or
 * {@code ws(s)://...}) becomes {@code ws(s)://host[:port]/socket.io/?[query&]EIO=4&transport=websocket}.
 * A path in the URL would name a namespace, which this client does not speak: refused.
 */
final class EngineIoUrl {

  private EngineIoUrl() {}

  static String of(String url) {
    if (url == null) {
      throw new IllegalArgumentException("url == null");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid socket.io URL: \"" + url + "\" (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String ws = switch (scheme) {
      case "http", "ws" -> "ws";
      case "https", "wss" -> "wss";
      default -> throw new IllegalArgumentException("not a valid socket.io URL: \"" + url
          + "\" (expected the scheme http, https, ws or wss, was \"" + scheme + "\")");
    };
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (uri.getRawAuthority() == null || !(path.isEmpty() || path.equals("/"))) {
      throw new IllegalArgumentException("not a valid socket.io URL: \"" + url
          + "\" (expected scheme://host[:port] with no path: this client speaks the default namespace only)");
    }
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery() + "&";
    return ws + "://" + uri.getRawAuthority() + "/socket.io/?" + query + "EIO=4&transport=websocket";
  }
}
