package org.sockscript.internal;

import java.util.Locale;
import java.util.Map;

/**
 * A parsed socket name, {@code host[:port][|connectionId]}, with IPv6 hosts in brackets.
 *
 * <p>Names identify sockets as whole strings, compared case-insensitively ({@link #key}):
 * {@code h}, {@code h:80} and {@code h:80|x} are three different sockets, as in LiveCode.
 */
public final class SocketName {

  /** Well-known service names accepted in place of a port number. */
  static final Map<String, Integer> SERVICES = Map.ofEntries(
      Map.entry("ftp", 21), Map.entry("ssh", 22), Map.entry("telnet", 23), Map.entry("smtp", 25),
      Map.entry("domain", 53), Map.entry("http", 80), Map.entry("pop3", 110), Map.entry("nntp", 119),
      Map.entry("imap", 143), Map.entry("ldap", 389), Map.entry("https", 443), Map.entry("smtps", 465),
      Map.entry("submission", 587), Map.entry("ldaps", 636), Map.entry("imaps", 993),
      Map.entry("pop3s", 995), Map.entry("postgresql", 5432), Map.entry("xmpp-client", 5222),
      Map.entry("xmpp-server", 5269), Map.entry("http-alt", 8080));

  private final String text;
  private final String host;
  private final int port;
  private final String connectionId;

  private SocketName(String text, String host, int port, String connectionId) {
    this.text = text;
    this.host = host;
    this.port = port;
    this.connectionId = connectionId;
  }

  /**
   * Parses a name such as {@code "mail.example.com:smtp|2"} or {@code "[::1]:443"}.
   *
   * @throws IllegalArgumentException naming the bad part
   */
  public static SocketName parse(String text) {
    Args.notNull(text, "socket");
    String hostPort = text;
    String id = null;
    int bar = text.indexOf('|');
    if (bar >= 0) {
      hostPort = text.substring(0, bar);
      id = text.substring(bar + 1);
    }
    String host;
    String portText = null;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw invalid(text, "IPv6 host is missing its closing ']'");
      }
      host = hostPort.substring(1, close);
      String rest = hostPort.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw invalid(text, "expected ':' after ']', saw \"" + rest + "\"");
        }
        portText = rest.substring(1);
      }
      if (host.indexOf(':') < 0) {
        throw invalid(text, "brackets are for IPv6 addresses, saw \"" + host + "\"");
      }
    } else {
      int colon = hostPort.indexOf(':');
      if (colon >= 0 && hostPort.indexOf(':', colon + 1) >= 0) {
        throw invalid(text, "an IPv6 host must be written in brackets, as in [::1]:443");
      }
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      portText = colon < 0 ? null : hostPort.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw invalid(text, "the host is empty");
    }
    if (!host.chars().allMatch(c -> c > ' ' && c < 0x7f && c != '/' && c != '@')) {
      throw invalid(text, "the host \"" + host + "\" contains a character not allowed in a host name");
    }
    int port = portText == null ? 80 : parsePort(text, portText);
    return new SocketName(text, host, port, id);
  }

  private static int parsePort(String text, String portText) {
    if (portText.isEmpty()) {
      throw invalid(text, "the port after ':' is empty");
    }
    if (portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
      long value = portText.length() > 6 ? Long.MAX_VALUE : Long.parseLong(portText);
      if (value < 1 || value > 65535) {
        throw new IllegalArgumentException("not a valid port: " + portText
            + " (expected 1 to 65535, in \"" + text + "\")");
      }
      return (int) value;
    }
    Integer service = SERVICES.get(portText.toLowerCase(Locale.ROOT));
    if (service == null) {
      throw invalid(text, "\"" + portText + "\" is neither a port number nor a known service name");
    }
    return service;
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException("not a valid host:port string: \"" + text + "\" (" + why + ")");
  }

  /** The key under which names are compared: the whole name, case-folded. */
  public static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** Formats an address and port as a name: {@code 127.0.0.1:80}, {@code [::1]:443}. */
  public static String format(java.net.InetAddress address, int port) {
    return format(hostText(address), port);
  }

  /** {@code "ip:port"} of a socket address; "" for none. Example: {@code format(channel.getLocalAddress())}. */
  public static String format(java.net.InetSocketAddress a) {
    return a == null ? "" : format(a.getAddress(), a.getPort());
  }

  /** The address as text, IPv6 in its shortest form (RFC 5952: {@code ::1}, not {@code 0:0:0:0:0:0:0:1}). */
  static String hostText(java.net.InetAddress address) {
    if (!(address instanceof java.net.Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    int scope = ((java.net.Inet6Address) address).getScopeId();
    return scope > 0 ? sb + "%" + scope : sb.toString();
  }

  /** Formats a host and port as a name, bracketing IPv6 literals. */
  public static String format(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The name as the script wrote it. */
  public String text() {
    return text;
  }

  /** The host, without brackets. */
  public String host() {
    return host;
  }

  /** The port, 80 when the name had none. */
  public int port() {
    return port;
  }

  /** The label after {@code |}, or null. */
  public String connectionId() {
    return connectionId;
  }

  @Override
  public String toString() {
    return text;
  }
}
