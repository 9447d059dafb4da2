package org.sockscript.internal.tls;

import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;

/**
 * The name a TLS client expects, as SNI and for the certificate check. An absolute name with its
 * trailing dot ({@code "mail.example.com."}) names the same host as without it: SNI carries it
 * without the dot (RFC 6066 §3), and the certificate check ignores it. An IP literal is checked
 * against the certificate's IP addresses and sent as no SNI at all, which cannot carry one.
 */
final class ServerNames {

  private ServerNames() {}

  /** {@code verificationHost} if it can name a host; otherwise an IllegalArgumentException naming it. */
  static String checkVerificationHost(String verificationHost) {
    if (verificationHost.isBlank() || verificationHost.equals(".")) {
      throw new IllegalArgumentException("verificationHost must be a host name or an IP address"
          + " (or null for the socket's own host), was \"" + verificationHost + "\"");
    }
    return verificationHost;
  }

  /** {@code "mail.example.com"} for {@code "mail.example.com."}; other names as they are. */
  static String withoutTrailingDot(String host) {
    return host.endsWith(".") && host.length() > 1 ? host.substring(0, host.length() - 1) : host;
  }

  /**
   * The SNI list for {@code name} (already without its trailing dot): empty for an IP literal.
   * {@code what} says where the name came from, for the error if SNI cannot carry it.
   */
  static List<SNIServerName> sni(String name, String what) {
    if (HostnameMatcher.isIpLiteral(name)) {
      return List.of();
    }
    try {
      return List.of(new SNIHostName(name));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a host name TLS can send as the server name (SNI): "
          + what + " \"" + name + "\" (" + e.getMessage() + ")", e);
    }
  }
}
