package org.sockscript.internal.tls;

/**
 * TLS alert descriptions by code (RFC 8446 §6, RFC 5246 §7.2 and their registries), and the
 * plaintext alert record a peer sends when it gives up on a handshake before encryption is on
 * its side — as OpenSSL 3 does under TLS 1.3 when it rejects our certificate:
 * {@code 15 03 03 00 02 02 2a} (alert, TLS 1.2 record version, length 2, fatal, bad_certificate).
 */
final class TlsAlerts {

  private static final int ALERT = 0x15;
  private static final int CHANGE_CIPHER_SPEC = 0x14;

  private TlsAlerts() {}

  /** The alert's name as the RFCs spell it, such as {@code bad_certificate}. */
  static String name(int code) {
    switch (code) {
      case 0: return "close_notify";
      case 10: return "unexpected_message";
      case 20: return "bad_record_mac";
      case 21: return "decryption_failed";
      case 22: return "record_overflow";
      case 30: return "decompression_failure";
      case 40: return "handshake_failure";
      case 41: return "no_certificate";
      case 42: return "bad_certificate";
      case 43: return "unsupported_certificate";
      case 44: return "certificate_revoked";
      case 45: return "certificate_expired";
      case 46: return "certificate_unknown";
      case 47: return "illegal_parameter";
      case 48: return "unknown_ca";
      case 49: return "access_denied";
      case 50: return "decode_error";
      case 51: return "decrypt_error";
      case 60: return "export_restriction";
      case 70: return "protocol_version";
      case 71: return "insufficient_security";
      case 80: return "internal_error";
      case 86: return "inappropriate_fallback";
      case 90: return "user_canceled";
      case 100: return "no_renegotiation";
      case 109: return "missing_extension";
      case 110: return "unsupported_extension";
      case 111: return "certificate_unobtainable";
      case 112: return "unrecognized_name";
      case 113: return "bad_certificate_status_response";
      case 114: return "bad_certificate_hash_value";
      case 115: return "unknown_psk_identity";
      case 116: return "certificate_required";
      case 120: return "no_application_protocol";
      case 121: return "ech_required";
      default: return "unknown alert " + code;
    }
  }

  /**
   * The description code of the first plaintext alert record in {@code bytes} (skipping any
   * change_cipher_spec records before it, which TLS 1.3 peers send for middleboxes), or -1 if
   * {@code bytes} do not start with such records. A plaintext alert is exactly 2 bytes long; an
   * encrypted one is longer, so the two cannot be confused.
   */
  static int plaintextAlert(byte[] bytes) {
    int at = 0;
    while (bytes.length - at >= 5 && (bytes[at + 1] & 0xff) == 3) {
      int type = bytes[at] & 0xff;
      int length = (bytes[at + 3] & 0xff) << 8 | (bytes[at + 4] & 0xff);
      if (type == ALERT && length == 2) {
        return bytes.length - at >= 7 ? bytes[at + 6] & 0xff : -1;
      }
      if (type != CHANGE_CIPHER_SPEC || length != 1) {
        return -1;
      }
      at += 5 + length;
    }
    return -1;
  }
}
