package org.sockscript.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/** Loopback helpers shared by the test peers: free ports and waiting for a listener. */
public final class Loopback {

    /** The IPv4 loopback address every peer binds to. */
    public static final String HOST = "127.0.0.1";

    private static final List<Path> PROC_TCP = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private Loopback() {
    }

    /**
     * Returns a loopback port that was free a moment ago (bound to 0, read, closed).
     * Another process may still take it before the caller binds it.
     */
    public static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(HOST, 0));
            return probe.getLocalPort();
        }
    }

    /**
     * Waits until something listens on {@code port}, polling every 20 ms.
     * On Linux it reads the LISTEN state from /proc/net/tcp{,6}, so no probe connection is
     * made (a probe would use up one of {@code openssl s_server -naccept N}'s connections);
     * elsewhere it falls back to a 200 ms TCP connect probe to 127.0.0.1.
     *
     * @param keepWaiting polled each round; returning false (e.g. the child process died) ends the wait early
     * @return true once the port is listening, false on timeout or when {@code keepWaiting} turned false
     */
    public static boolean awaitListening(int port, Duration timeout, BooleanSupplier keepWaiting)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (isListening(port)) {
                return true;
            }
            if (!keepWaiting.getAsBoolean()) {
                return false;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** True if a socket is in LISTEN state on {@code port} (any local address). */
    public static boolean isListening(int port) {
        if (!Files.isReadable(PROC_TCP.get(0))) {
            return acceptsConnection(port);
        }
        String needle = String.format(Locale.ROOT, ":%04X", port);
        for (Path table : PROC_TCP) {
            try {
                for (String line : Files.readAllLines(table)) {
                    String[] f = line.trim().split("\\s+");
                    // columns: sl local_address rem_address st ...; state 0A is LISTEN
                    if (f.length > 3 && f[1].endsWith(needle) && f[3].equals("0A")) {
                        return true;
                    }
                }
            } catch (IOException ignored) {
                // tcp6 may be missing when IPv6 is disabled
            }
        }
        return false;
    }

    private static boolean acceptsConnection(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
