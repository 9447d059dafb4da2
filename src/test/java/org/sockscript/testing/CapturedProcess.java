package org.sockscript.testing;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A child process whose stdout and stderr are merged and captured into a buffer by a daemon
 * thread, with a writable stdin. {@link #close()} kills it and its descendants.
 */
public final class CapturedProcess implements AutoCloseable {

    private final List<String> command;
    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final Thread reader;

    private CapturedProcess(List<String> command) throws IOException {
        this.command = List.copyOf(command);
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        this.reader = new Thread(this::pump, "captured-" + command.get(0));
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command} (no shell) with stderr merged into stdout; skips the test if it is not installed. */
    public static CapturedProcess start(List<String> command) throws IOException {
        InstalledPeers.assume(command.get(0)); // a real peer that is not installed skips the test
        return new CapturedProcess(command);
    }

    private void pump() {
        char[] buf = new char[4096];
        try (Reader in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                synchronized (output) {
                    output.append(buf, 0, n);
                    output.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // stream closed by close()
        }
    }

    /** The command line this process was started with. */
    public List<String> command() {
        return command;
    }

    /** Everything the process printed so far (stdout and stderr interleaved, UTF-8). */
    public String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** Waits until {@link #output()} contains {@code text}; false on timeout. */
    public boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (output) {
            while (output.indexOf(text) < 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(output, left);
            }
            return true;
        }
    }

    /** Writes {@code text} (UTF-8) to the process's stdin and flushes. */
    public void send(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Closes the process's stdin, so it reads EOF. */
    public void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** The process id (for signals such as {@code kill -STOP}). */
    public long pid() {
        return process.pid();
    }

    /** True while the process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code timeout} for the process to exit; empty if it is still running. */
    public OptionalInt exitCode(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }

    /** Kills the process and its descendants (SIGTERM, then SIGKILL after 3 s) and waits for it. */
    @Override
    public void close() {
        closeStdin();
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(3, TimeUnit.SECONDS);
            }
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }
}
