package org.sockscript;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sockscript.internal.Args;

/**
 * Certificate pins: for a host, the SHA-256 hashes of SubjectPublicKeyInfos one of which the
 * peer's chain must carry, written {@code sha256/BASE64} as OkHttp's {@code CertificatePinner}
 * and HPKP write them. A pin is checked on top of verification, never instead of it: a chain that
 * validates still fails when no certificate in it matches a pin of its host (the name verified,
 * else the socket's host; an unverified connection to a pinned host is checked too, and so is a
 * resumed session, whose chain is the first handshake's). Hosts without pins are not pinned.
 * Immutable.
 *
 * <pre>{@code
 * CertificatePins pins = CertificatePins.builder()
 *     .add("example.org", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
 *     .build();
 * }</pre>
 */
public final class CertificatePins {

  /** No pins at all. Example: {@code TlsOptions.builder().pins(CertificatePins.NONE)} */
  public static final CertificatePins NONE = new CertificatePins(Map.of());

  private final Map<String, Set<String>> byHost;

  private CertificatePins(Map<String, Set<String>> byHost) {
    this.byHost = byHost;
  }

  /** A builder with no pins. Example: {@code CertificatePins.builder().add(host, pin).build()} */
  public static Builder builder() {
    return new Builder();
  }

  /** The pins of {@code host} (case-insensitive, no trailing dot), empty if it is not pinned. Example: {@code pins.forHost("example.org")} */
  public Set<String> forHost(String host) {
    return byHost.getOrDefault(key(host), Set.of());
  }

  /** Whether no host is pinned. Example: {@code if (pins.isEmpty()) ...} */
  public boolean isEmpty() {
    return byHost.isEmpty();
  }

  /** The pin of a certificate: {@code sha256/} and the base64 SHA-256 of its SubjectPublicKeyInfo. Example: {@code CertificatePins.pin(cert)} */
  public static String pin(X509Certificate certificate) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
      return "sha256/" + Base64.getEncoder().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }

  /**
   * Null if {@code chain} (leaf first) carries a pin of {@code host} or the host is not pinned;
   * else the failure, listing the chain's pins beside the configured ones. Example: {@code pins.mismatch("example.org", chain)}
   */
  public String mismatch(String host, List<X509Certificate> chain) {
    Set<String> wanted = forHost(host);
    if (wanted.isEmpty()) {
      return null;
    }
    List<String> seen = new ArrayList<>();
    for (X509Certificate c : chain) {
      String pin = pin(c);
      if (wanted.contains(pin)) {
        return null;
      }
      seen.add("\n    " + pin + ": " + c.getSubjectX500Principal().getName());
    }
    return "certificate pinning failure for " + key(host) + "!\n  Peer certificate chain:"
        + String.join("", seen) + "\n  Pinned certificates for " + key(host) + ":\n    "
        + String.join("\n    ", wanted);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CertificatePins && ((CertificatePins) o).byHost.equals(byHost);
  }

  @Override
  public int hashCode() {
    return byHost.hashCode();
  }

  /** Example: {@code {example.org=[sha256/...]}}. */
  @Override
  public String toString() {
    return byHost.toString();
  }

  private static String key(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /** Collects pins; {@link #add} checks each one. */
  public static final class Builder {
    private final Map<String, Set<String>> byHost = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Pins {@code host} to each of {@code pins} ({@code sha256/} + base64 of 32 bytes); the chain
     * must carry at least one of the host's pins. Example: {@code builder.add("example.org", "sha256/AAAA...=")}
     *
     * @throws IllegalArgumentException naming a blank host, null or no pins, or a pin of the wrong form
     */
    public Builder add(String host, String... pins) {
      if (host == null || host.isBlank() || host.contains("*")) {
        throw new IllegalArgumentException("pinned host must be a host name, was " + (host == null ? null : "\"" + host + "\""));
      }
      if (Args.notNull(pins, "pins").length == 0) {
        throw new IllegalArgumentException("no pins given for " + host);
      }
      Set<String> set = byHost.computeIfAbsent(key(host), h -> new LinkedHashSet<>());
      for (String pin : pins) {
        set.add(checkPin(pin));
      }
      return this;
    }

    /** The pins collected. Example: {@code builder.build()} */
    public CertificatePins build() {
      Map<String, Set<String>> copy = new LinkedHashMap<>();
      byHost.forEach((h, p) -> copy.put(h, Set.copyOf(p)));
      return copy.isEmpty() ? NONE : new CertificatePins(Map.copyOf(copy));
    }

    private static String checkPin(String pin) {
      if (pin == null || !pin.startsWith("sha256/")) {
        throw new IllegalArgumentException("pins must start with \"sha256/\": " + pin);
      }
      byte[] hash;
      try {
        hash = Base64.getDecoder().decode(pin.substring("sha256/".length()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("pin is not valid base64: " + pin, e);
      }
      if (hash.length != 32) {
        throw new IllegalArgumentException("pin must hold 32 bytes (a SHA-256), " + pin + " holds " + hash.length);
      }
      return pin;
    }
  }
}
