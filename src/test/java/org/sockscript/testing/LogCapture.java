package org.sockscript.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Captures {@code System.err} while open, passing everything through: that is where slf4j-simple
 * (the test logger) writes the library's log — it looks {@code System.err} up for every line —
 * and where a thread that dies of an uncaught exception is reported. For tests that assert a run
 * logged no ERROR or WARN line. One at a time: {@code System.err} is the JVM's.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.start()) {
 *   ... close a registry mid-traffic ...
 *   assertThat(log.problems()).isEmpty();
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

  /** slf4j-simple's ERROR and WARN lines ({@code [thread] ERROR logger - message}), and uncaught deaths. */
  private static final Pattern PROBLEM = Pattern.compile("^\\[.*\\] (ERROR|WARN) \\S+ - .*|^Exception in thread .*");

  private final PrintStream original;
  private final boolean passThrough;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  private LogCapture(PrintStream original, boolean passThrough) {
    this.original = original;
    this.passThrough = passThrough;
  }

  /** Starts capturing, passing everything on to {@code System.err}. */
  public static LogCapture start() {
    return start(true);
  }

  /**
   * Starts capturing without passing anything on: for a test that makes the library log on purpose
   * (a listener that throws) and asserts the lines itself, so the run stays quiet.
   */
  public static LogCapture startQuiet() {
    return start(false);
  }

  private static LogCapture start(boolean passThrough) {
    LogCapture capture = new LogCapture(System.err, passThrough);
    OutputStream tee = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        if (capture.passThrough) {
          capture.original.write(b, off, len);
        }
        synchronized (capture.captured) {
          capture.captured.write(b, off, len);
        }
      }
    };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    return capture;
  }

  /** Everything written so far. */
  public String text() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  /** The lines so far that report a problem: ERROR and WARN log lines, and uncaught exceptions. */
  public List<String> problems() {
    return text().lines().filter(line -> PROBLEM.matcher(line).matches()).toList();
  }

  /** Stops capturing: {@code System.err} is what it was. */
  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
  }
}
