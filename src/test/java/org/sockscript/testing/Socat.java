package org.sockscript.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A {@code socat TCP-LISTEN:PORT,bind=127.0.0.1,reuseaddr,fork ADDRESS} child process on a free
 * loopback port. If socat is missing, the factories throw {@link IllegalStateException} with
 * "socat not installed: run apt-get install -y socat", so tests fail rather than skip.
 */
public final class Socat implements AutoCloseable {

    /** socat's address for a server that prefixes each line with "echo: " and flushes per line ({@code sed -u}). */
    public static final String LINE_PREFIXER = "EXEC:\"sed -u 's/^/echo: /'\"";

    private final CapturedProcess process;
    private final int port;

    private Socat(CapturedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Echo server: every byte comes back ({@code PIPE}). */
    public static Socat echoServer() throws IOException, InterruptedException {
        return listen("PIPE");
    }

    /** Line server: each line comes back as {@code "echo: " + line}, flushed per line. */
    public static Socat lineServer() throws IOException, InterruptedException {
        return listen(LINE_PREFIXER);
    }

    /**
     * Listens on 127.0.0.1 (forking per connection) and connects each client to socat address
     * {@code target}. Returns once the port listens (at most 10 s).
     */
    public static Socat listen(String target) throws IOException, InterruptedException {
        return listen(List.of(), target);
    }

    /** As {@link #listen(String)}, with socat {@code options} first (such as {@code -t 10}). */
    public static Socat listen(List<String> options, String target) throws IOException, InterruptedException {
        String socat = executable();
        String failure = "";
        for (int attempt = 0; attempt < 3; attempt++) { // retry if another process grabbed the free port
            int port = Loopback.freePort();
            List<String> command = new java.util.ArrayList<>(List.of(socat));
            command.addAll(options);
            command.addAll(List.of("TCP-LISTEN:" + port + ",bind=" + Loopback.HOST + ",reuseaddr,fork", target));
            CapturedProcess p = CapturedProcess.start(command);
            if (Loopback.awaitListening(port, Duration.ofSeconds(10), p::isAlive)) {
                return new Socat(p, port);
            }
            p.close();
            failure = p.output();
            if (!failure.contains("in use")) {
                break;
            }
        }
        throw new IllegalStateException("socat did not start for " + target + ":\n" + failure);
    }

    /**
     * Path of the socat binary, searched on PATH, then /usr/bin/socat.
     *
     * @throws IllegalStateException "socat not installed: run apt-get install -y socat" when there is none
     */
    public static String executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "socat");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/socat"))) {
            return "/usr/bin/socat";
        }
        InstalledPeers.assume("socat"); // skips the calling test
        throw new IllegalStateException("socat not installed: run apt-get install -y socat");
    }

    /** The port socat listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** socat's own output (its error messages, and stderr of the forked commands). */
    public String output() {
        return process.output();
    }

    /** Waits until socat's output (stderr of forked commands included) contains {@code text}; false on timeout. */
    public boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        return process.awaitOutput(text, timeout);
    }

    /** Kills socat and its forked children and waits for it. */
    @Override
    public void close() {
        process.close();
    }
}
