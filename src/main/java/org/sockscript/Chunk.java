package org.sockscript;

import java.util.Objects;
import org.sockscript.internal.PeerText;

/**
 * What a read waits for: LiveCode's {@code read from socket ... until / for} chunk expressions.
 * Immutable; build one with the static factories.
 *
 * <pre>{@code
 * String line  = sockets.read(s, Chunk.until("\r\n"));   // includes the "\r\n"
 * byte[] head  = sockets.readBytes(s, Chunk.bytes(16));
 * String two   = sockets.read(s, Chunk.lines(2));
 * String now   = sockets.read(s, Chunk.available());     // maybe ""
 * String rest  = sockets.read(s, Chunk.untilEnd());      // until the peer closes
 * byte[] some  = sockets.readBytes(s, Chunk.upTo(8192)); // 1 to 8192 bytes, as they come
 * }</pre>
 *
 * <p>Delimiters ({@code until}, and the {@code "\n"} of lines, the {@code ","} of items and the
 * white space between words) are matched on the bytes of the socket's charset, so the charset
 * must be ASCII-compatible (UTF-8, ISO-8859-1, windows-1252, ...) for lines, items and words.
 */
public final class Chunk {

  /** The kinds of chunk a read can wait for. Example: {@code if (chunk.kind() == Chunk.Kind.LINES) ...} */
  public enum Kind {
    /** Up to and including a delimiter: {@code Chunk.until("\r\n")}. */
    UNTIL,
    /** A number of bytes: {@code Chunk.bytes(16)}. */
    BYTES,
    /** Between one byte and a number of them, as many as have arrived: {@code Chunk.upTo(65536)}. */
    UP_TO,
    /** A number of characters (UTF-16 units, as {@link String#length()}) in the socket's charset: {@code Chunk.chars(5)}. */
    CHARS,
    /** A number of lines, each ending with {@code "\n"} (included): {@code Chunk.lines(2)}. */
    LINES,
    /** A number of comma-terminated items (the commas included): {@code Chunk.items(3)}. */
    ITEMS,
    /** A number of words, each ended by one white-space byte (included): {@code Chunk.words(2)}. */
    WORDS,
    /** Whatever is buffered right now, possibly nothing: {@code Chunk.available()}. */
    AVAILABLE,
    /** Everything until the peer closes: {@code Chunk.untilEnd()}. */
    UNTIL_END
  }

  private static final Chunk AVAILABLE = new Chunk(Kind.AVAILABLE, 0, null);
  private static final Chunk UNTIL_END = new Chunk(Kind.UNTIL_END, 0, null);

  private final Kind kind;
  private final int count;
  private final String delimiter;

  private Chunk(Kind kind, int count, String delimiter) {
    this.kind = kind;
    this.count = count;
    this.delimiter = delimiter;
  }

  /**
   * Up to and including {@code delimiter}. Example: {@code Chunk.until("\r\n")}.
   *
   * @throws IllegalArgumentException if the delimiter is null or empty
   */
  public static Chunk until(String delimiter) {
    if (delimiter == null || delimiter.isEmpty()) {
      throw new IllegalArgumentException("delimiter must be a non-empty string, was "
          + (delimiter == null ? "null" : "\"\""));
    }
    return new Chunk(Kind.UNTIL, 0, delimiter);
  }

  /** Exactly {@code n} bytes. Example: {@code Chunk.bytes(16)}. */
  public static Chunk bytes(int n) {
    return counted(Kind.BYTES, n);
  }

  /**
   * Between 1 and {@code n} bytes: as many as have arrived, waiting only for the first (what
   * {@link java.io.InputStream#read(byte[])} returns). For moving bulk data without framing it.
   * Example: {@code byte[] some = sockets.readBytes(s, Chunk.upTo(65536));}
   */
  public static Chunk upTo(int n) {
    return counted(Kind.UP_TO, n);
  }

  /** {@code n} characters, never splitting a multi-byte character. Example: {@code Chunk.chars(5)}. */
  public static Chunk chars(int n) {
    return counted(Kind.CHARS, n);
  }

  /** {@code n} lines, each with its {@code "\n"}. Example: {@code Chunk.lines(1)}. */
  public static Chunk lines(int n) {
    return counted(Kind.LINES, n);
  }

  /** {@code n} comma-terminated items. Example: {@code Chunk.items(3)} reads {@code "a,b,c,"}. */
  public static Chunk items(int n) {
    return counted(Kind.ITEMS, n);
  }

  /** {@code n} words, each with the white-space byte that ends it. Example: {@code Chunk.words(2)}. */
  public static Chunk words(int n) {
    return counted(Kind.WORDS, n);
  }

  /**
   * Whatever is buffered now, possibly nothing (LiveCode's {@code until empty}).
   * Example: {@code String pending = sockets.read(s, Chunk.available());}
   */
  public static Chunk available() {
    return AVAILABLE;
  }

  /**
   * Everything until the peer closes the connection.
   * Example: {@code String page = sockets.read("example.org:80", Chunk.untilEnd());}
   */
  public static Chunk untilEnd() {
    return UNTIL_END;
  }

  private static Chunk counted(Kind kind, int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("count must be at least 1, was " + n);
    }
    return new Chunk(kind, n, null);
  }

  /** The kind of chunk. Example: {@code Chunk.lines(2).kind() == Chunk.Kind.LINES}. */
  public Kind kind() {
    return kind;
  }

  /** How many bytes, chars, lines, items or words; 0 for the other kinds. Example: {@code Chunk.bytes(4).count() == 4}. */
  public int count() {
    return count;
  }

  /** The delimiter of an {@code until} chunk, else null. Example: {@code Chunk.until(".").delimiter()}. */
  public String delimiter() {
    return delimiter;
  }

  /** Reads like the script: {@code until "\r\n"}, {@code for 16 bytes}, {@code available}. */
  @Override
  public String toString() {
    switch (kind) {
      case UNTIL: return "until \"" + PeerText.escape(delimiter) + "\"";
      case AVAILABLE: return "available";
      case UNTIL_END: return "until end";
      case UP_TO: return "for up to " + count + " bytes";
      default: return "for " + count + " " + kind.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Chunks are equal when they ask for the same thing. Example: {@code Chunk.lines(1).equals(Chunk.lines(1))}. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Chunk && ((Chunk) o).kind == kind && ((Chunk) o).count == count
        && Objects.equals(((Chunk) o).delimiter, delimiter);
  }

  /** Consistent with {@link #equals}. Example: {@code Set.of(Chunk.lines(1), Chunk.bytes(4))}. */
  @Override
  public int hashCode() {
    return Objects.hash(kind, count, delimiter);
  }
}
