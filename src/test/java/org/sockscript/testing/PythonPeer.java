package org.sockscript.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A peer from {@code src/test/resources/peers/peer.py}: Python's own socket and ssl (OpenSSL)
 * modules, for byte-exact behaviour no Java peer would show (a TLS server that cuts TCP without
 * close_notify, a client that pipelines a ClientHello behind STARTTLS, a handshake that
 * dribbles). Skips the test, saying what to install, if {@code python3} is missing.
 *
 * <pre>{@code
 * try (PythonPeer server = PythonPeer.server("tls-send-then-end", chain, key, "cut", "HEADER\\r\\n")) {
 *   sockets.openSecure("127.0.0.1:" + server.port(), true, "localhost");
 * }
 * }</pre>
 */
public final class PythonPeer implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("ready (\\d+)\\s");

    private final CapturedProcess process;
    private final int port;

    private PythonPeer(CapturedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a server command and returns once it listens. */
    public static PythonPeer server(String command, String... args) throws IOException, InterruptedException {
        PythonPeer peer = start(command, args);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Matcher m = READY.matcher("");
        while (!m.reset(peer.output()).find()) { // the whole line: the port may come in two reads
            if (System.nanoTime() > deadline || !peer.process.isAlive()) {
                peer.close();
                throw new IllegalStateException("peer.py " + command + " did not start: " + peer.output());
            }
            Thread.sleep(10);
        }
        return new PythonPeer(peer.process, Integer.parseInt(m.group(1)));
    }

    /** Starts a client command (it connects by itself). */
    public static PythonPeer client(String command, String... args) throws IOException {
        return start(command, args);
    }

    private static PythonPeer start(String command, String... args) throws IOException {
        List<String> line = new ArrayList<>(List.of("python3", script().toString(), command));
        line.addAll(List.of(args));
        return new PythonPeer(CapturedProcess.start(line), -1);
    }

    private static Path script() {
        try {
            return Path.of(PythonPeer.class.getResource("/peers/peer.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The port a server listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** Waits for the peer to print {@code text}; false on timeout. */
    public boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        return process.awaitOutput(text, timeout);
    }

    /** What the peer printed ({@code saw ...} lines, and Python's errors). */
    public String output() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }
}
