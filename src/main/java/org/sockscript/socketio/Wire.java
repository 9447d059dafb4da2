package org.sockscript.socketio;

/** Packet text quoted for an error message or wire log: control characters escaped, long text cut. */
final class Wire {

  private static final int MAX = 200;

  private Wire() {}

  static String quote(String text) {
    return "\"" + shorten(text) + "\"";
  }

  static String shorten(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX) + 16);
    for (int i = 0; i < text.length() && out.length() < MAX; i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c == 0x7F ? String.format("\\x%02X", (int) c) : String.valueOf(c));
    }
    return text.length() > MAX ? out + "... (" + text.length() + " chars)" : out.toString();
  }
}
