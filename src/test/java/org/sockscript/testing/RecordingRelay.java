package org.sockscript.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay that forwards every accepted client to a fixed target and records each
 * read, in arrival order, as a {@link Segment}. EOF from one side is passed on as a half-close
 * ({@code shutdownOutput}) to the other; both sockets close once both directions ended or on error.
 * {@link #close()} also closes every relayed connection, so the pump threads end.
 */
public final class RecordingRelay extends AcceptingServer {

    /** Which way a recorded segment travelled. */
    public enum Direction { CLIENT_TO_SERVER, SERVER_TO_CLIENT }

    /** One read: its direction, its bytes and {@link System#nanoTime()} when it arrived. */
    public record Segment(Direction direction, byte[] bytes, long nanos) {
    }

    private final InetSocketAddress target;
    private final List<Segment> segments = new ArrayList<>();
    private final Map<Direction, Long> totals = new EnumMap<>(Direction.class);

    private RecordingRelay(String targetHost, int targetPort) throws IOException {
        this.target = new InetSocketAddress(targetHost, targetPort);
        for (Direction d : Direction.values()) {
            totals.put(d, 0L);
        }
        startAccepting("relay-accept-" + port());
    }

    /** Starts a relay on 127.0.0.1:0 that forwards each client to {@code targetHost:targetPort}. */
    public static RecordingRelay start(String targetHost, int targetPort) throws IOException {
        return new RecordingRelay(targetHost, targetPort);
    }

    /** A snapshot of every segment recorded so far, across all connections, in arrival order. */
    public synchronized List<Segment> segments() {
        return List.copyOf(segments);
    }

    /** All bytes recorded in direction {@code d}, concatenated. */
    public synchronized byte[] bytes(Direction d) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        segments.stream().filter(s -> s.direction() == d).forEach(s -> all.writeBytes(s.bytes()));
        return all.toByteArray();
    }

    /** Waits until at least {@code atLeast} bytes travelled in direction {@code d}; false on timeout. */
    public synchronized boolean awaitBytes(Direction d, int atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (totals.get(d) < atLeast) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** {@link #indexOfFirstTlsRecord(byte[])} applied to {@link #bytes(Direction) bytes(d)}. */
    public int indexOfFirstTlsRecord(Direction d) {
        return indexOfFirstTlsRecord(bytes(d));
    }

    /**
     * Offset of the first TLS record header: the first {@code p} with {@code b[p]} in 0x14..0x17
     * (change_cipher_spec, alert, handshake, application_data), {@code b[p+1] == 0x03} and
     * {@code b[p+2]} in 0x00..0x04. Printable ASCII and CR/LF never match, so after a plaintext
     * STARTTLS exchange this is where TLS begins. Returns -1 if there is none.
     */
    public static int indexOfFirstTlsRecord(byte[] b) {
        for (int p = 0; p + 2 < b.length; p++) {
            if (b[p] >= 0x14 && b[p] <= 0x17 && b[p + 1] == 0x03 && b[p + 2] >= 0x00 && b[p + 2] <= 0x04) {
                return p;
            }
        }
        return -1;
    }

    /** The bytes in direction {@code d} before the first TLS record (all of them if none), as ISO-8859-1. */
    public String plaintextPrefix(Direction d) {
        byte[] b = bytes(d);
        int tls = indexOfFirstTlsRecord(b);
        return new String(b, 0, tls < 0 ? b.length : tls, StandardCharsets.ISO_8859_1);
    }

    private synchronized void record(Direction d, byte[] chunk) {
        segments.add(new Segment(d, chunk, System.nanoTime()));
        totals.merge(d, (long) chunk.length, Long::sum);
        notifyAll();
    }

    /** Connects {@code client} to the target (dropping both if that fails) and pumps both ways. */
    @Override
    void accepted(Socket client) {
        Socket server = new Socket();
        track(server);
        try {
            server.connect(target, 5000);
        } catch (IOException e) {
            release(client, server);
            return;
        }
        AtomicInteger ended = new AtomicInteger();
        daemon(() -> pump(client, server, Direction.CLIENT_TO_SERVER, ended), "relay-c2s");
        daemon(() -> pump(server, client, Direction.SERVER_TO_CLIENT, ended), "relay-s2c");
    }

    private void pump(Socket from, Socket to, Direction d, AtomicInteger ended) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                record(d, Arrays.copyOf(buf, n));
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
            if (ended.incrementAndGet() == 2) {
                release(from, to);
            }
        } catch (IOException e) {
            release(from, to); // reset or closed: tear down both sides
        }
    }
}
