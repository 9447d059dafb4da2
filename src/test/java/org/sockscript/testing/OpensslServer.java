package org.sockscript.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code openssl s_server} as a child process on a free 127.0.0.1 port, its stdout and stderr
 * captured. In its default mode s_server prints what the client sends and sends what is written
 * to its stdin ({@link #send(String)}); callers add {@code -quiet}, {@code -www}, {@code -rev},
 * {@code -naccept 1}, {@code -tls1_3} and so on as extra arguments.
 */
public final class OpensslServer implements AutoCloseable {

    /** The openssl binary: /usr/bin/openssl if present, else {@code openssl} from PATH. */
    public static final String OPENSSL = Files.isExecutable(Path.of("/usr/bin/openssl")) ? "/usr/bin/openssl" : "openssl";

    private static final Pattern PEM_CERT =
            Pattern.compile("-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\\R?", Pattern.DOTALL);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final CapturedProcess process;
    private final int port;
    private final Path chainFile;

    private OpensslServer(CapturedProcess process, int port, Path chainFile) {
        this.process = process;
        this.port = port;
        this.chainFile = chainFile;
    }

    /**
     * Starts s_server with the leaf (first certificate of {@code certChainPem}) as {@code -cert};
     * any further certificates in that file go to {@code -cert_chain} via a temporary file.
     * Returns once the port listens (at most 10 s; no probe connection is made).
     *
     * @throws IllegalStateException if s_server exits or does not listen in time; the message holds its output
     */
    public static OpensslServer start(Path certChainPem, Path keyPem, String... extraArgs)
            throws IOException, InterruptedException {
        Path chainFile = intermediates(certChainPem);
        List<String> cmd = new ArrayList<>(List.of(OPENSSL, "s_server", "-accept", "", "-cert", certChainPem.toString(),
                "-key", keyPem.toString()));
        if (chainFile != null) {
            cmd.addAll(List.of("-cert_chain", chainFile.toString()));
        }
        cmd.addAll(List.of(extraArgs));
        String failure = "";
        for (int attempt = 0; attempt < 3; attempt++) { // retry if another process grabbed the free port
            int port = Loopback.freePort();
            cmd.set(3, Loopback.HOST + ":" + port);
            CapturedProcess p = CapturedProcess.start(cmd);
            if (Loopback.awaitListening(port, START_TIMEOUT, p::isAlive)) {
                return new OpensslServer(p, port, chainFile);
            }
            p.close();
            failure = p.output();
            if (!failure.contains("in use")) {
                break;
            }
        }
        if (chainFile != null) {
            Files.deleteIfExists(chainFile);
        }
        throw new IllegalStateException("openssl s_server did not start: " + String.join(" ", cmd) + "\n" + failure);
    }

    /** Writes every certificate after the first into a temp file; null when there is only the leaf. */
    private static Path intermediates(Path certChainPem) throws IOException {
        Matcher m = PEM_CERT.matcher(Files.readString(certChainPem, StandardCharsets.US_ASCII));
        StringBuilder rest = new StringBuilder();
        for (int i = 0; m.find(); i++) {
            if (i > 0) {
                rest.append(m.group());
            }
        }
        if (rest.length() == 0) {
            return null;
        }
        Path file = Files.createTempFile("s_server-chain", ".pem");
        Files.writeString(file, rest, StandardCharsets.US_ASCII);
        return file;
    }

    /** The port s_server listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** Everything s_server printed so far (stdout and stderr). */
    public String output() {
        return process.output();
    }

    /** Waits until {@link #output()} contains {@code text}; false on timeout. */
    public boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        return process.awaitOutput(text, timeout);
    }

    /** Writes {@code text} to s_server's stdin (sent to the connected client in the default mode). */
    public void send(String text) throws IOException {
        process.send(text);
    }

    /** True while s_server runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Destroys s_server, waits for it, and deletes the temporary chain file. */
    @Override
    public void close() {
        process.close();
        if (chainFile != null) {
            try {
                Files.deleteIfExists(chainFile);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
