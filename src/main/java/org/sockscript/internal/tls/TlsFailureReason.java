package org.sockscript.internal.tls;

import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.apache.commons.lang3.exception.ExceptionUtils;

/**
 * Turns an {@link SSLException} from Conscrypt (BoringSSL error strings) or the JDK provider into
 * the specific reason a {@code socketError} carries: a certificate problem as our trust manager
 * worded it, the alert the peer sent, or what its bytes were — without BoringSSL's pointers and
 * source paths.
 */
public final class TlsFailureReason {

  /** BoringSSL's {@code TLSV1_ALERT_CERTIFICATE_REQUIRED}, the JDK's {@code Received fatal alert: x}. */
  private static final Pattern ALERT = Pattern.compile(
      "(?:TLSV1|SSLV3|TLSV13)_ALERT_([A-Z_]+)|Received fatal alert: ([a-z_]+)");
  /** BoringSSL's reason code, as in {@code error:...:OPENSSL_internal:WRONG_VERSION_NUMBER}. */
  private static final Pattern BORINGSSL = Pattern.compile("OPENSSL_internal:([A-Z0-9_]+)");

  private TlsFailureReason() {}

  /**
   * The reason for a failed handshake ({@code handshaking}) or TLS session, using what the peer
   * sent ({@code input}) where the engine's own words do not say what happened.
   */
  public static String of(SSLException e, PeerInput input, boolean handshaking) {
    for (Throwable t : ExceptionUtils.getThrowableList(e)) { // (stops at a cause that loops back)
      if (t instanceof TlsRefusal) {
        return t.getMessage();
      }
      if (t instanceof CertificateException && t.getMessage() != null
          && (t.getMessage().startsWith("certificate ") || t.getMessage().startsWith("hostname mismatch"))) {
        return t.getMessage();
      }
    }
    String all = messages(e);
    Matcher alert = ALERT.matcher(all);
    int plaintextAlert = input.plaintextAlert();
    if (alert.find() || plaintextAlert >= 0) {
      String name = plaintextAlert >= 0 ? TlsAlerts.name(plaintextAlert)
          : (alert.group(1) != null ? alert.group(1) : alert.group(2)).toLowerCase(Locale.ROOT);
      String why = name.equals("protocol_version")
          ? " (no TLS version in common: only TLS 1.2 and 1.3 are enabled here)" : "";
      return "the peer rejected the TLS handshake: it sent alert " + name + why;
    }
    if (all.contains("NO_RENEGOTIATION")) {
      return TlsRefusal.RENEGOTIATION; // BoringSSL refuses renegotiation itself, in its words
    }
    if (all.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") || all.contains("Empty client certificate chain")) {
      return "client certificate required: the peer sent none";
    }
    String text = input.plaintext();
    if (text != null) {
      return plaintext(text, input, handshaking);
    }
    Matcher code = BORINGSSL.matcher(all);
    String detail = code.find() ? code.group(1) : all;
    String lower = all.toLowerCase(Locale.ROOT);
    if (lower.contains("wrong_version_number") || lower.contains("unsupported or unrecognized ssl message")
        || lower.contains("record_too_large") || lower.contains("http_request")
        || lower.contains("bad_record_type") || lower.contains("unexpected_record")
        || lower.contains("not an ssl/tls record") || lower.contains("unable to parse tls packet header")) {
      return "the peer did not speak TLS: received bytes that are not a TLS record (" + detail + ")";
    }
    if (lower.contains("unsupported_protocol") || lower.contains("protocol_version")
        || lower.contains("no appropriate protocol")) {
      return "no TLS version in common: only TLS 1.2 and 1.3 are enabled (" + detail + ")";
    }
    if (lower.contains("unexpected_message")) {
      return "the peer sent a TLS message that does not belong at this point of the handshake ("
          + detail + ")";
    }
    if (lower.contains("no_shared_cipher") || lower.contains("handshake_failure")) {
      return "the TLS handshake failed: no cipher suite or key type in common (" + detail + ")";
    }
    return "TLS failure: " + detail;
  }

  /** Text where TLS belongs, with the likeliest cause: on a client, secure called too early. */
  private static String plaintext(String text, PeerInput input, boolean handshaking) {
    if (!handshaking) {
      return "the TLS session received plaintext " + text + " where TLS records belong";
    }
    String hint = !input.client() ? "the client sent text where its TLS ClientHello belongs"
        : input.inPlace() ? "was the reply to STARTTLS read before secure?"
        : "does this port speak TLS from the first byte?";
    return "the TLS handshake received plaintext " + text + " \u2014 " + hint;
  }

  private static String messages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t : ExceptionUtils.getThrowableList(e)) {
      if (t.getMessage() != null && sb.indexOf(t.getMessage()) < 0) {
        sb.append(sb.length() == 0 ? "" : ": ").append(t.getMessage());
      }
    }
    return sb.length() == 0 ? e.getClass().getSimpleName() : sb.toString();
  }
}
