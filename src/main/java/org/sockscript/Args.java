package org.sockscript;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.commons.lang3.Validate;

/** Argument checks for the public API: misuse fails at once, naming the bad value. */
final class Args {

  private Args() {}

  /** {@code value}, or {@code IllegalArgumentException("<what> == null")}. */
  static <T> T notNull(T value, String what) {
    Validate.isTrue(value != null, "%s == null", what); // (Validate.notNull would throw NPE)
    return value;
  }

  /**
   * {@code offset} and {@code length} lie within {@code bytes}, or {@code IllegalArgumentException}.
   * Checked by hand: this runs on every bulk write and read, which promise no garbage, and
   * Validate's message arguments would box three ints per call.
   */
  static void range(byte[] bytes, int offset, int length) {
    notNull(bytes, "data");
    if (offset < 0 || length < 0 || length > bytes.length - offset) {
      throw new IllegalArgumentException("offset " + offset + " and length " + length
          + " must lie within the array's " + bytes.length + " bytes");
    }
  }

  interface IoAction {
    void run() throws IOException;
  }

  /** Runs {@code action} for a verb that declares no IOException: one is rethrown unchecked. */
  static void unchecked(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }
}
