package org.sockscript.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A loopback server that accepts connections and never writes a byte. It reads and records what
 * arrives (all connections into one buffer) and keeps each socket open, even after the client's
 * EOF, until {@link #close()} — so clients waiting for a greeting or a TLS reply wait forever.
 */
public final class SilentServer extends AcceptingServer {

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private int connections;

    private SilentServer() throws IOException {
        startAccepting("silent-accept-" + port());
    }

    /** Starts a silent server on 127.0.0.1:0. */
    public static SilentServer start() throws IOException {
        return new SilentServer();
    }

    /** Everything received so far, from all connections, in arrival order. */
    public synchronized byte[] received() {
        return received.toByteArray();
    }

    /** How many connections were accepted so far. */
    public synchronized int connections() {
        return connections;
    }

    /** Waits until at least {@code n} connections were accepted; false on timeout. */
    public synchronized boolean awaitConnections(int n, Duration timeout) throws InterruptedException {
        return await(() -> connections >= n, timeout);
    }

    /** Waits until at least {@code atLeast} bytes were received; false on timeout. */
    public synchronized boolean awaitReceived(int atLeast, Duration timeout) throws InterruptedException {
        return await(() -> received.size() >= atLeast, timeout);
    }

    private boolean await(BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    @Override
    void accepted(Socket s) {
        synchronized (this) {
            connections++;
            notifyAll();
        }
        daemon(() -> drain(s), "silent-conn-" + s.getPort());
    }

    private void drain(Socket s) {
        byte[] buf = new byte[8192];
        try {
            InputStream in = s.getInputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                synchronized (this) {
                    received.write(buf, 0, n);
                    notifyAll();
                }
            }
        } catch (IOException ignored) {
            // reset by the client or closed by close()
        }
    }
}
