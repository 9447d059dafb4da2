package org.sockscript.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code openssl s_client} as a child process, e.g. with
 * {@code -connect 127.0.0.1:PORT -starttls smtp -CAfile root.pem -verify_return_error -servername localhost -tls1_3}.
 * The test writes to its stdin and reads its merged stdout and stderr.
 */
public final class OpensslClient implements AutoCloseable {

    private final CapturedProcess process;

    private OpensslClient(CapturedProcess process) {
        this.process = process;
    }

    /** Starts {@code openssl s_client args...}. */
    public static OpensslClient start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(OpensslServer.OPENSSL, "s_client"));
        cmd.addAll(List.of(args));
        return new OpensslClient(CapturedProcess.start(cmd));
    }

    /** Writes {@code text} to s_client's stdin (sent over TLS once the handshake is done). */
    public void send(String text) throws IOException {
        process.send(text);
    }

    /** Closes s_client's stdin; without {@code -ign_eof}/{@code -quiet} it then closes the connection and exits. */
    public void closeStdin() {
        process.closeStdin();
    }

    /** Everything s_client printed so far (stdout and stderr). */
    public String output() {
        return process.output();
    }

    /** Waits until {@link #output()} contains {@code text}; false on timeout. */
    public boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        return process.awaitOutput(text, timeout);
    }

    /** Waits up to {@code timeout} for s_client to exit; empty if it is still running. */
    public OptionalInt exitCode(Duration timeout) throws InterruptedException {
        return process.exitCode(timeout);
    }

    /** Destroys s_client (if still running) and waits for it. */
    @Override
    public void close() {
        process.close();
    }
}
