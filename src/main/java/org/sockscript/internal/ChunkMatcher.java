package org.sockscript.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import org.sockscript.Chunk;

/**
 * Finds where one {@link Chunk} ends in an {@link InboundBuffer}. Remembers how far it has
 * scanned, so data arriving in many small segments is scanned once, not once per segment.
 */
final class ChunkMatcher {

  private final Chunk chunk;
  private final Charset charset;
  private final byte[] delimiter;
  private int scanned;
  private int found;
  private boolean inWord;

  ChunkMatcher(Chunk chunk, Charset charset) {
    this.chunk = chunk;
    this.charset = charset;
    switch (chunk.kind()) {
      case UNTIL: delimiter = chunk.delimiter().getBytes(charset); break;
      case LINES: delimiter = "\n".getBytes(charset); break;
      case ITEMS: delimiter = ",".getBytes(charset); break;
      default: delimiter = null;
    }
  }

  Chunk chunk() {
    return chunk;
  }

  /** Forgets the scan position, after the buffer's bytes were taken away from under it. */
  void restart() {
    scanned = 0;
    found = 0;
    inWord = false;
  }

  /**
   * How many bytes from the front of {@code in} make the chunk, or -1 if more input is needed.
   * At end of stream the caller hands over whatever is left instead.
   */
  int match(InboundBuffer in) {
    int size = in.size();
    switch (chunk.kind()) {
      case AVAILABLE:
        return size;
      case UNTIL_END:
        return -1;
      case UP_TO:
        return size > 0 ? Math.min(size, chunk.count()) : -1;
      case BYTES:
        return size >= chunk.count() ? chunk.count() : -1;
      case UNTIL:
        return matchUntil(in, size);
      case LINES:
      case ITEMS:
        return matchCounted(in, size);
      case WORDS:
        return matchWords(in, size);
      case CHARS:
        return matchChars(in);
      default:
        throw new AssertionError(chunk.kind());
    }
  }

  private int matchUntil(InboundBuffer in, int size) {
    int at = in.indexOf(delimiter, Math.max(0, scanned - delimiter.length + 1));
    if (at < 0) {
      scanned = size;
      return -1;
    }
    return at + delimiter.length;
  }

  private int matchCounted(InboundBuffer in, int size) {
    while (true) {
      int at = in.indexOf(delimiter, scanned);
      if (at < 0) {
        scanned = Math.max(scanned, size - delimiter.length + 1);
        return -1;
      }
      scanned = at + delimiter.length;
      if (++found == chunk.count()) {
        return scanned;
      }
    }
  }

  private int matchWords(InboundBuffer in, int size) {
    for (; scanned < size; scanned++) {
      boolean space = isSpace(in.get(scanned));
      if (!space) {
        inWord = true;
      } else if (inWord) {
        inWord = false;
        if (++found == chunk.count()) {
          return ++scanned;
        }
      }
    }
    return -1;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '\f';
  }

  /**
   * Decodes one character at a time so the byte count is exact and no character is split. Looks
   * at a generous prefix first (8 bytes a character covers every common charset) and at
   * everything only if that prefix fell short.
   */
  private int matchChars(InboundBuffer in) {
    int size = in.size();
    int prefix = (int) Math.min(size, chunk.count() * 8L + 16);
    int n = decodeChars(ByteBuffer.wrap(in.peek(prefix)));
    return n >= 0 || prefix == size ? n : decodeChars(ByteBuffer.wrap(in.peek(size)));
  }

  /**
   * Counts {@code chunk.count()} characters from the start of {@code bytes}; returns their length
   * in bytes, or -1 if they have not all arrived. Each character's length is the fewest bytes from
   * which a fresh decoder produces it, so the answer depends only on the bytes, never on how many
   * happen to have arrived yet (a decoder given more input may decide about the next character in
   * the same step: UTF-8's decoder wants room for a surrogate pair before it looks at a 4-byte
   * lead, and then also decodes what follows a malformed one).
   */
  private int decodeChars(ByteBuffer bytes) {
    CharsetDecoder decoder = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    CharBuffer out = CharBuffer.allocate(2);
    int end = bytes.limit();
    int chars = 0;
    while (chars < chunk.count()) {
      int start = bytes.position();
      int got = 0;
      for (int j = start + 1; got == 0; j++) {
        if (j > end) {
          return -1; // the next character has not fully arrived
        }
        decoder.reset();
        out.clear();
        bytes.limit(j).position(start);
        decoder.decode(bytes, out, false);
        got = out.position();
        if (got == 2 && !Character.isHighSurrogate(out.get(0))) {
          got = 1; // two characters ended at byte j: the first is everything before it
          bytes.position(j - 1);
        }
      }
      chars += got; // a surrogate pair is two (UTF-16 units, as String.length counts)
      bytes.limit(end);
    }
    return bytes.position();
  }
}
