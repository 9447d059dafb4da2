package org.sockscript.internal.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Checks a certificate's subject alternative names against the expected host, as RFC 6125 and
 * today's browsers do: DNS names (a wildcard only as the whole left-most label, matching exactly
 * one label), IP addresses against IP SANs, and no fallback to the subject's common name.
 */
final class HostnameMatcher {

  private static final int DNS = 2;
  private static final int IP = 7;

  private HostnameMatcher() {}

  /** Throws {@link HostnameMismatchException} naming the expected host and the certificate's names. */
  static void check(String host, X509Certificate cert) throws CertificateException {
    String expected = normalize(host);
    boolean ip = isIpLiteral(expected);
    List<String> names = new ArrayList<>();
    Collection<List<?>> sans;
    try {
      sans = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new HostnameMismatchException("hostname mismatch: expected " + host
          + ", certificate names unreadable: " + e.getMessage());
    }
    if (sans != null) {
      for (List<?> san : sans) {
        int type = (Integer) san.get(0);
        String value = String.valueOf(san.get(1));
        if (type == DNS || type == IP) {
          names.add(value);
          if (type == IP ? ip && sameAddress(expected, value) : !ip && dnsMatches(expected, value)) {
            return;
          }
        }
      }
    }
    String why = names.isEmpty() ? " (it has no DNS or IP subjectAltName; its subject "
        + cert.getSubjectX500Principal().getName() + " is not used for name checks)" : "";
    throw new HostnameMismatchException("hostname mismatch: expected " + host
        + ", certificate names " + names + why);
  }

  private static String normalize(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.matches("[0-9]+(\\.[0-9]+){3}");
  }

  private static boolean sameAddress(String a, String b) {
    try {
      return Arrays.equals(InetAddress.getByName(a).getAddress(), InetAddress.getByName(b).getAddress());
    } catch (UnknownHostException e) {
      return false; // both are literals, so this does no lookup; unparsable means no match
    }
  }

  private static boolean dnsMatches(String host, String pattern) {
    String p = normalize(pattern);
    if (!p.startsWith("*.")) {
      return host.equals(p);
    }
    String suffix = p.substring(1); // ".example.com"
    if (suffix.indexOf('.', 1) < 0) {
      return false; // "*.com" would match too much
    }
    return host.endsWith(suffix) && host.length() > suffix.length()
        && host.lastIndexOf('.', host.length() - suffix.length() - 1) < 0;
  }

  /** A certificate that does not name the host it was expected to. */
  static final class HostnameMismatchException extends CertificateException {
    private static final long serialVersionUID = 1L;

    HostnameMismatchException(String message) {
      super(message);
    }
  }
}
