package org.sockscript.internal.tls;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import org.apache.commons.lang3.StringUtils;
import org.sockscript.internal.PeerText;

/**
 * Shows bytes a peer sent as text when they start as text: their first line, quoted, cut at
 * {@value #SHOW} characters, with {@code "} and {@code \} escaped and a non-printable byte shown
 * as {@code \x16} where the text stops. A TLS record starts with a control byte (0x14 to 0x18),
 * so a record is never taken for text.
 */
final class PrintableText {

  private static final int SHOW = 48;
  private static final String ELLIPSIS = "...";

  private PrintableText() {}

  /**
   * {@code "220 2.0.0 Ready to start TLS"} for those bytes and a CRLF; {@code "PART\x16..."} for
   * text running into binary; null unless the first byte is printable.
   */
  static String quote(byte[] bytes) {
    // One char per byte; one more than fits, so a longer line is seen to be longer.
    String text = new String(bytes, 0, Math.min(bytes.length, SHOW + ELLIPSIS.length() + 1), ISO_8859_1);
    int stop = StringUtils.indexOfAnyBut(text, PeerText.PRINTABLE);
    if (stop == 0 || text.isEmpty()) {
      return null;
    }
    String line = stop < 0 ? text : text.substring(0, stop);
    if (stop >= 0 && stop < SHOW && text.charAt(stop) != '\r' && text.charAt(stop) != '\n') {
      return '"' + PeerText.escape(line) + String.format("\\x%02x", (int) text.charAt(stop)) + ELLIPSIS + '"';
    }
    return '"' + PeerText.escape(StringUtils.abbreviate(line, ELLIPSIS, SHOW + ELLIPSIS.length())) + '"';
  }
}
