package org.sockscript.socketio;

import java.util.Locale;
import org.sockscript.internal.Args;

/**
 * The WebSocket URL of an Engine.IO 4 session: {@code http(s)://host[:port][/][?query]} (or
 * {@code ws(s)://...}) becomes {@code ws(s)://host[:port]/socket.io/?[query&]EIO=4&transport=websocket}.
 * A path in the URL would name a namespace, which this client does not speak: refused. The rest
 * of the URL is checked by the WebSocket client.
 */
final class EngineIoUrl {

  private EngineIoUrl() {}

  static String of(String url) {
    Args.notNull(url, "url");
    int colon = url.indexOf("://");
    String scheme = colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
    String ws = switch (scheme) {
      case "http", "ws" -> "ws";
      case "https", "wss" -> "wss";
      default -> throw refused(url, "expected the scheme http, https, ws or wss, was \"" + scheme + "\"");
    };
    String rest = url.substring(colon + 3);
    int query = rest.indexOf('?');
    String beforeQuery = query < 0 ? rest : rest.substring(0, query);
    int slash = beforeQuery.indexOf('/');
    String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
    if (authority.isEmpty() || slash >= 0 && slash != beforeQuery.length() - 1) {
      throw refused(url, "expected scheme://host[:port] with no path: this client speaks the default namespace only");
    }
    String params = query < 0 || query == rest.length() - 1 ? "" : rest.substring(query + 1) + "&";
    return ws + "://" + authority + "/socket.io/?" + params + "EIO=4&transport=websocket";
  }

  private static IllegalArgumentException refused(String url, String why) {
    return new IllegalArgumentException("not a valid socket.io URL: \"" + url + "\" (" + why + ")");
  }
}
