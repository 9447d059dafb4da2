package org.sockscript.internal.trace;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;
import org.apache.commons.lang3.StringUtils;
import org.sockscript.internal.PeerText;

/**
 * A trace as lines of text, one per chunk, for a person reading along in JShell:
 *
 * <pre>
 * 12:00:01.234567 localhost:2525 &gt; 10 B "STARTTLS\r\n"
 * 12:00:01.240112 localhost:2525 &lt; 1394 B TLS Handshake v1.2 len 122 [ServerHello]; ChangeCipherSpec v1.2 len 1; ApplicationData v1.2 len 1223
 * 12:00:01.241003 localhost:2525 &lt; decrypted 8 B "250 ok\r\n"
 * </pre>
 *
 * {@code >} is out, {@code <} is in. Bytes show as text when they are printable (with
 * {@code \r}, {@code \n} and {@code \t} escaped), else as hex; at most {@value #SHOW} bytes.
 */
public final class TextTrace implements TraceSink {

  private static final int SHOW = 160;
  /** What shows as text: printable ASCII, and the whitespace {@link PeerText#escape} names. */
  private static final String TEXT = PeerText.PRINTABLE + "\r\n\t";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault());

  private final Consumer<String> lines;

  /** Lines go to {@code lines} (a PrintStream's println, a list's add), one call at a time. */
  public TextTrace(Consumer<String> lines) {
    this.lines = lines;
  }

  @Override
  public synchronized void chunk(TraceEvent e) {
    lines.accept(format(e));
  }

  /** One event as one line. */
  public static String format(TraceEvent e) {
    StringBuilder sb = new StringBuilder();
    sb.append(TIME.format(Instant.ofEpochSecond(0, e.epochNanos()))).append(' ').append(e.socket())
        .append(e.outbound() ? " > " : " < ");
    if (e.kind() == TraceEvent.Kind.APPLICATION) {
      sb.append(e.outbound() ? "to encrypt " : "decrypted ");
    } else if (e.kind() == TraceEvent.Kind.DATAGRAM) {
      sb.append(e.outbound() ? "datagram to " : "datagram from ").append(address(e.remote())).append(' ');
    }
    sb.append(e.data().length).append(" B ");
    if (e.tlsRecords() != null) {
      sb.append("TLS ").append(String.join("; ", e.tlsRecords()));
    } else {
      sb.append(show(e.data()));
    }
    return sb.toString();
  }

  private static String address(java.net.InetSocketAddress a) {
    return a == null ? "?" : org.sockscript.internal.SocketName.format(a);
  }

  /** {@code "EHLO me\r\n"} for text, {@code hex 16 03 01 ...} otherwise. */
  static String show(byte[] data) {
    int n = Math.min(data.length, SHOW);
    String text = new String(data, 0, n, StandardCharsets.ISO_8859_1); // one char per byte
    if (StringUtils.indexOfAnyBut(text, TEXT) >= 0) {
      return hex(data, n);
    }
    return '"' + PeerText.escape(text) + (n < data.length ? "...\"" : "\"");
  }

  private static String hex(byte[] data, int n) {
    StringBuilder sb = new StringBuilder("hex");
    for (int i = 0; i < Math.min(n, 48); i++) {
      sb.append(String.format(" %02x", data[i] & 0xff));
    }
    return sb.append(data.length > 48 ? " ..." : "").toString();
  }
}
