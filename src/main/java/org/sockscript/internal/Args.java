package org.sockscript.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.commons.lang3.Validate;

/**
 * Argument checks for the public API of every exported package: misuse fails at once with an
 * {@code IllegalArgumentException} naming the bad value. Public so that {@code websocket},
 * {@code socketio} and {@code push} share it; not an API, as module-info exports no
 * {@code internal} package.
 *
 * <pre>{@code
 * this.sockets = Args.notNull(sockets, "sockets");   // IllegalArgumentException("sockets == null")
 * }</pre>
 */
public final class Args {

  private Args() {}

  /**
   * {@code value}, or {@code IllegalArgumentException("<what> == null")}.
   * Example: {@code Args.notNull(text, "text")}
   */
  public static <T> T notNull(T value, String what) {
    Validate.isTrue(value != null, "%s == null", what); // (Validate.notNull would throw NPE)
    return value;
  }

  /**
   * {@code offset} and {@code length} lie within {@code bytes}, or {@code IllegalArgumentException}.
   * Checked by hand: this runs on every bulk write and read, which promise no garbage, and
   * Validate's message arguments would box three ints per call. Example: {@code Args.range(data, 0, n)}
   */
  public static void range(byte[] bytes, int offset, int length) {
    notNull(bytes, "data");
    if (offset < 0 || length < 0 || length > bytes.length - offset) {
      throw new IllegalArgumentException("offset " + offset + " and length " + length
          + " must lie within the array's " + bytes.length + " bytes");
    }
  }

  /** An I/O step for {@link #unchecked}. Example: {@code () -> sockets.write(name, data)} */
  public interface IoAction {
    /** Runs the step. Example: {@code action.run()} */
    void run() throws IOException;
  }

  /**
   * Runs {@code action} for a verb that declares no IOException: one is rethrown unchecked.
   * Example: {@code Args.unchecked(() -> close(name))}
   */
  public static void unchecked(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }
}
