package org.sockscript.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny scripted plaintext server on 127.0.0.1:0: each accepted connection runs the
 * {@link Handler} on its own daemon thread and is closed when the handler returns.
 * Anything a handler throws (while the server is open) is kept in {@link #errors()}.
 * {@link #close()} also closes the sockets of running handlers, which then fail and end.
 */
public final class LineServer extends AcceptingServer {

    /** The script for one connection; the socket is closed after it returns or throws. */
    @FunctionalInterface
    public interface Handler {
        /** Talks to one client over {@code s}. */
        void handle(Socket s) throws Exception;
    }

    private final Handler handler;
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private LineServer(Handler handler) throws IOException {
        this.handler = handler;
        startAccepting("line-server-accept-" + port());
    }

    /** Starts a server that runs {@code handler} for each accepted connection. */
    public static LineServer start(Handler handler) throws IOException {
        return new LineServer(handler);
    }

    /** Starts a server that echoes every byte back until the client's EOF, then closes. */
    public static LineServer echo() throws IOException {
        return start(s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        });
    }

    /**
     * Reads one line for a handler: bytes up to LF, without the trailing CR LF, as ISO-8859-1.
     * Returns null at EOF before any byte; a last line without LF is returned as is.
     */
    public static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Writes {@code line} plus CR LF (ISO-8859-1) and flushes. */
    public static void writeLine(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** What handlers threw so far (a live, thread-safe list). */
    public List<Throwable> errors() {
        return errors;
    }

    @Override
    void accepted(Socket s) {
        daemon(() -> serve(s), "line-server-conn-" + s.getPort());
    }

    private void serve(Socket s) {
        try {
            handler.handle(s);
        } catch (Throwable t) {
            if (!isClosed()) {
                errors.add(t);
            }
        } finally {
            release(s);
        }
    }
}
