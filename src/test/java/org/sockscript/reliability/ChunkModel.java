package org.sockscript.reliability;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sockscript.Chunk;

/**
 * What a sequence of reads should return from a whole, already-complete stream, written as
 * plainly as possible (one pass, no buffering): the oracle for {@link ChunkSegmentationFuzzTest}.
 * ISO-8859-1 only, so a char is a byte. At the end of the stream a read that cannot complete gets
 * what is left (possibly nothing), as a callback read does.
 */
final class ChunkModel {

  private ChunkModel() {}

  static List<String> chunks(List<Chunk> reads, byte[] data) {
    List<String> out = new ArrayList<>();
    int pos = 0;
    for (Chunk read : reads) {
      int end = end(read, data, pos);
      out.add(new String(Arrays.copyOfRange(data, pos, end), ISO_8859_1));
      pos = end;
    }
    return out;
  }

  /** Where the chunk starting at {@code pos} ends (exclusive); the stream's end if it is incomplete. */
  private static int end(Chunk read, byte[] data, int pos) {
    switch (read.kind()) {
      case BYTES:
      case CHARS:
        return Math.min(data.length, pos + read.count());
      case UNTIL:
        return afterNth(data, pos, read.delimiter().getBytes(ISO_8859_1), 1);
      case LINES:
        return afterNth(data, pos, new byte[] {'\n'}, read.count());
      case ITEMS:
        return afterNth(data, pos, new byte[] {','}, read.count());
      case WORDS:
        return afterWords(data, pos, read.count());
      default:
        return data.length;
    }
  }

  private static int afterNth(byte[] data, int pos, byte[] delimiter, int n) {
    int found = 0;
    for (int i = pos; i + delimiter.length <= data.length; i++) {
      if (Arrays.equals(data, i, i + delimiter.length, delimiter, 0, delimiter.length)) {
        if (++found == n) {
          return i + delimiter.length;
        }
        i += delimiter.length - 1;
      }
    }
    return data.length;
  }

  /** Words end at the first white-space byte after a non-space; leading white space belongs to the first. */
  private static int afterWords(byte[] data, int pos, int n) {
    boolean inWord = false;
    int found = 0;
    for (int i = pos; i < data.length; i++) {
      boolean space = data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n' || data[i] == '\f';
      if (!space) {
        inWord = true;
      } else if (inWord) {
        inWord = false;
        if (++found == n) {
          return i + 1;
        }
      }
    }
    return data.length;
  }
}
