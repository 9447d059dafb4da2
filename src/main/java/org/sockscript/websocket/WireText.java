package org.sockscript.websocket;

/** Payloads shown in a wire log or a message: control characters escaped as {@code \xNN}, long ones cut. */
final class WireText {

  static final int MAX = 160;

  private WireText() {}

  static String shorten(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX) + 16);
    for (int i = 0; i < text.length() && out.length() < MAX; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        out.append(String.format("\\x%02X", (int) c));
      } else {
        out.append(c);
      }
    }
    String more = text.length() > MAX ? "... (" + text.length() + " chars)" : "";
    return out + more;
  }
}
