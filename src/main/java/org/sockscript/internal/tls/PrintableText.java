package org.sockscript.internal.tls;

/**
 * Shows bytes a peer sent as text when they start as text: their first line, quoted, cut at
 * {@value #SHOW} characters, with {@code "} and {@code \} escaped and a non-printable byte shown
 * as {@code \x16} where the text stops. A TLS record starts with a control byte (0x14 to 0x18),
 * so a record is never taken for text.
 */
final class PrintableText {

  private static final int SHOW = 48;

  private PrintableText() {}

  /**
   * {@code "220 2.0.0 Ready to start TLS"} for those bytes and a CRLF; {@code "PART\x16..."} for
   * text running into binary; null unless the first byte is printable.
   */
  static String quote(byte[] bytes) {
    if (bytes.length == 0 || !printable(bytes[0])) {
      return null;
    }
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < bytes.length && bytes[i] != '\r' && bytes[i] != '\n'; i++) {
      char c = (char) (bytes[i] & 0xff);
      if (i == SHOW) {
        return sb.append("...\"").toString();
      } else if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (printable(bytes[i])) {
        sb.append(c);
      } else {
        return sb.append(String.format("\\x%02x...\"", (int) c)).toString(); // binary from here
      }
    }
    return sb.append('"').toString();
  }

  private static boolean printable(byte b) {
    return b >= 0x20 && b < 0x7f;
  }
}
