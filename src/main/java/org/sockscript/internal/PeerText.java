package org.sockscript.internal;

import java.util.stream.IntStream;
import org.apache.commons.lang3.StringUtils;

/**
 * Text a peer sent (or a script wrote), made safe to show in a wire log, a trace or an error
 * message: one set of escapes for every package, on commons-lang3. Public so that
 * {@code websocket}, {@code socketio}, {@code push} and the internal packages share it; not an
 * API, as module-info exports no {@code internal} package.
 *
 * <pre>{@code
 * PeerText.shorten("42[\"x\"]\n")     // 42["x"]\x0a  (a log line: quotes kept, control characters escaped)
 * PeerText.escape("EHLO \"me\"\r\n")  // EHLO \"me\"\r\n  (between quotes, as in Java source)
 * }</pre>
 */
public final class PeerText {

  /** How many characters {@link #shorten} keeps. */
  public static final int SHOWN = 200;
  /** The printable ASCII characters, space to tilde. Example: {@code StringUtils.indexOfAnyBut(s, PeerText.PRINTABLE)} */
  public static final String PRINTABLE = IntStream.range(0x20, 0x7f)
      .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();

  private static final String[] CONTROLS = IntStream.concat(IntStream.range(0, 0x20), IntStream.of(0x7f))
      .mapToObj(c -> String.valueOf((char) c)).toArray(String[]::new);
  private static final String[] CONTROLS_AS_HEX = IntStream.concat(IntStream.range(0, 0x20), IntStream.of(0x7f))
      .mapToObj(c -> String.format("\\x%02x", c)).toArray(String[]::new);
  private static final String[] SPECIAL = {"\\", "\r", "\n", "\t", "\""};
  private static final String[] ESCAPED = {"\\\\", "\\r", "\\n", "\\t", "\\\""};

  private PeerText() {}

  /**
   * {@code text} for a log line or a message: control characters as {@code \x0a}, other text
   * (quotes, non-ASCII) as it is, cut after {@value #SHOWN} characters with the whole length said.
   * Example: {@code PeerText.shorten("x".repeat(300))} gives 200 x and {@code ... (300 chars)}
   */
  public static String shorten(String text) {
    // Cut first: the escapes then run on at most SHOWN characters, and never break one in two.
    String shown = StringUtils.replaceEach(StringUtils.truncate(text, SHOWN), CONTROLS, CONTROLS_AS_HEX);
    return text.length() > SHOWN ? shown + "... (" + text.length() + " chars)" : shown;
  }

  /**
   * {@code text} to show between double quotes, escaped as in Java source: {@code \\}, {@code \r},
   * {@code \n}, {@code \t} and {@code \"}; anything else as it is.
   * Example: {@code '"' + PeerText.escape(delimiter) + '"'} gives {@code "\r\n"} for CR LF
   */
  public static String escape(String text) {
    return StringUtils.replaceEach(text, SPECIAL, ESCAPED);
  }
}
