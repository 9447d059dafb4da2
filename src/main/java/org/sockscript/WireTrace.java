package org.sockscript;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.sockscript.internal.Args;
import org.sockscript.internal.trace.PcapngTrace;
import org.sockscript.internal.trace.TextTrace;
import org.sockscript.internal.trace.TraceEvent;
import org.sockscript.internal.trace.TraceSink;

/**
 * Where {@link SocketRegistry#trace(WireTrace)} sends every chunk that crosses the wire, as it
 * happens: its time, socket and direction, the plaintext (as text where printable, hex otherwise)
 * while the socket is plain, the TLS records (content type, version, length, handshake message
 * types while visible) once it is secure, and the application data decrypted beside them.
 *
 * <pre>{@code
 * sockets.trace(WireTrace.toStream(System.out));                 // every socket, to the screen
 * try (WireTrace file = WireTrace.toPcapng(Path.of("smtp.pcapng"))) {
 *   sockets.trace("localhost:2525", file);                       // one socket, for Wireshark
 *   ...
 * }
 * }</pre>
 *
 * A trace that is off costs two volatile reads per chunk (the socket's own trace, then the registry's). A sink that throws is logged and the
 * socket carries on.
 */
public final class WireTrace implements AutoCloseable {

  final TraceSink sink;

  private WireTrace(TraceSink sink) {
    this.sink = sink;
  }

  /** One line of text per chunk to {@code out}. Example: {@code WireTrace.toStream(System.out)} */
  public static WireTrace toStream(PrintStream out) {
    Args.notNull(out, "out");
    return new WireTrace(new TextTrace(out::println));
  }

  /** One line of text per chunk, added to {@code lines} (for tests and scripts). Example: {@code WireTrace.toLines(seen)} */
  public static WireTrace toLines(List<String> lines) {
    List<String> target = Collections.synchronizedList(Args.notNull(lines, "lines"));
    return new WireTrace(new TextTrace(target::add));
  }

  /**
   * A pcapng file for Wireshark or {@code tshark -r}: each socket a synthetic TCP stream between
   * its real addresses carrying exactly the wire's bytes (plaintext, then TLS records); the
   * decrypted application data as packet comments beside the records ({@code frame.comment}).
   * Close it to finish the file (it is flushed after every chunk). Example: {@code WireTrace.toPcapng(Path.of("t.pcapng"))}
   */
  public static WireTrace toPcapng(Path file) throws IOException {
    return new WireTrace(new PcapngTrace(Args.notNull(file, "file")));
  }

  /** Every chunk to each of {@code traces}. Example: {@code WireTrace.all(WireTrace.toStream(System.out), file)} */
  public static WireTrace all(WireTrace... traces) {
    List<TraceSink> sinks = java.util.Arrays.stream(Args.notNull(traces, "traces"))
        .map(t -> Args.notNull(t, "trace").sink).toList();
    return new WireTrace(new TraceSink() {
      @Override
      public void chunk(TraceEvent event) {
        sinks.forEach(s -> s.chunk(event));
      }

      @Override
      public void close() {
        sinks.forEach(TraceSink::close);
      }
    });
  }

  /** Finishes the trace (closes a file). Stop tracing first: chunks after this are dropped. Example: {@code file.close();} */
  @Override
  public void close() {
    sink.close();
  }
}
