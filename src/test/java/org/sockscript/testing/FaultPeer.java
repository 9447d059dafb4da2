package org.sockscript.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A loopback STARTTLS server (SMTP-like) that misbehaves on purpose, one named {@link Fault} per
 * peer, like okhttp mockwebserver's {@code SocketPolicy}. Every connection runs the same
 * dialogue, and the fault strikes at one point of it:
 *
 * <pre>
 * S: 220 fault-peer ready            GREETING
 * C: STARTTLS
 * S: 220 go ahead                    GO_AHEAD
 *    TLS handshake, the peer as server with {@link TestPki#good()} (JDK provider)
 * C: anything                        (secure from here on)
 * S: 250 anything                    echo, one line per line
 * C: QUIT
 * S: 221 bye                         then close_notify and close
 * </pre>
 *
 * <p>Every byte the peer reads (plaintext, or decrypted application data) is kept in
 * {@link #received()}. Each connection runs on its own daemon thread; {@link #close()} closes the
 * listener and every connection and joins those threads, so a test can count threads after it.
 * Nothing runs unbounded: streams are capped in bytes and time, stalls end at {@code close()}.
 *
 * <pre>{@code
 * try (FaultPeer peer = FaultPeer.start(Fault.CLOSE_WITHOUT_CLOSE_NOTIFY)) {
 *   sockets.open(peer.name(""));
 *   ...
 * }
 * }</pre>
 */
public final class FaultPeer extends AcceptingServer {

    /** What goes wrong, and when. */
    public enum Fault {
        /** No fault: the dialogue above, ending with {@code 221 bye} and a close_notify. */
        NONE,
        /** After {@code 220 go ahead}, reads the first bytes of the ClientHello, then sends a TCP RST. */
        RESET_DURING_HANDSHAKE,
        /** After the handshake, reads {@link #RESET_AFTER_BYTES} of application data, then sends a TCP RST. */
        RESET_DURING_LARGE_WRITE,
        /** Reads {@code STARTTLS} and never answers anything again (reads and discards until closed). */
        STALL_BEFORE_UPGRADE,
        /** Completes the handshake, then never writes again (reads and keeps what arrives until closed). */
        STALL_AFTER_UPGRADE,
        /** Sends {@code GREETING} and {@link #HALF_CLOSE_LINE}, shuts its output, and goes on reading until EOF. */
        HALF_CLOSE,
        /** Sends {@code GREETING} and {@code GO_AHEAD} one byte every {@link #TRICKLE_INTERVAL}; then behaves. */
        TRICKLE,
        /** Answers {@code STARTTLS} with {@code GO_AHEAD} followed by {@link #GARBAGE} instead of TLS. */
        GARBAGE_AFTER_STARTTLS,
        /**
         * After the handshake, streams {@code 'x'} with no line end: at most {@link #HUGE_LINE_BYTES}
         * and {@link #STREAM_LIMIT}, stopping when the client stops taking it.
         */
        HUGE_LINE,
        /** After the handshake, sends {@link #LAST_WORDS} and closes TCP without a TLS close_notify. */
        CLOSE_WITHOUT_CLOSE_NOTIFY
    }

    public static final String GREETING = "220 fault-peer ready\r\n";
    public static final String GO_AHEAD = "220 go ahead\r\n";
    public static final String HALF_CLOSE_LINE = "221 closing my side, still listening\r\n";
    public static final String GARBAGE = "HTTP/1.1 400 this is not a TLS record\r\n\r\n";
    public static final String LAST_WORDS = "250 last words\r\n";
    public static final Duration TRICKLE_INTERVAL = Duration.ofMillis(50);
    public static final long HUGE_LINE_BYTES = 100L * 1024 * 1024;
    public static final int RESET_AFTER_BYTES = 1024 * 1024;
    public static final Duration STREAM_LIMIT = Duration.ofSeconds(30);

    private final Fault fault;
    private final SSLContext tls;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final AtomicLong streamed = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();

    private FaultPeer(Fault fault) throws Exception {
        this.fault = fault;
        tls = TlsPeers.jdkContext(TestPki.get().good(), TestPki.get()); // made once: a cold one is slow
        startAccepting("fault-peer-" + fault + "-accept");
    }

    /** Starts a peer with {@code fault} on 127.0.0.1:0. */
    public static FaultPeer start(Fault fault) throws Exception {
        return new FaultPeer(fault);
    }

    /** The fault this peer injects. */
    public Fault fault() {
        return fault;
    }

    /** The socket name {@code "127.0.0.1:<port>" + suffix}, e.g. {@code name("|2")}. */
    public String name(String suffix) {
        return Loopback.HOST + ":" + port() + suffix;
    }

    /** Every byte read so far from all connections (plaintext or decrypted), as ISO-8859-1 text. */
    public synchronized String received() {
        return received.toString(ISO_8859_1);
    }

    /** Waits until {@link #received()} contains {@code text}; false on timeout. */
    public synchronized boolean awaitReceived(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!received().contains(text)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** How many bytes {@link Fault#HUGE_LINE} managed to send. */
    public long streamedBytes() {
        return streamed.get();
    }

    /** How many connections were accepted. */
    public int connections() {
        return connections.get();
    }

    /** What the dialogue threw unexpectedly while the peer was open (a live list). */
    public List<Throwable> errors() {
        return errors;
    }

    // ---- the dialogue -----------------------------------------------------------------------

    @Override
    void accepted(Socket s) {
        int n = connections.incrementAndGet();
        threads.add(daemon(() -> serve(s), "fault-peer-" + fault + "-conn-" + n));
    }

    private void serve(Socket plain) {
        try {
            plain.setTcpNoDelay(true);
            InputStream in = plain.getInputStream();
            OutputStream out = plain.getOutputStream();
            send(out, GREETING, fault == Fault.TRICKLE);
            if (fault == Fault.HALF_CLOSE) {
                send(out, HALF_CLOSE_LINE, false);
                plain.shutdownOutput();
                drain(in);
                return;
            }
            String command = readLine(in);
            if (command == null) {
                return;
            }
            if (fault == Fault.STALL_BEFORE_UPGRADE) {
                drain(in);
                return;
            }
            send(out, GO_AHEAD, fault == Fault.TRICKLE);
            switch (fault) {
                case GARBAGE_AFTER_STARTTLS:
                    send(out, GARBAGE, false);
                    drain(in);
                    return;
                case RESET_DURING_HANDSHAKE:
                    if (in.read() >= 0) { // the ClientHello has started to arrive
                        reset(plain);
                    }
                    return;
                default:
                    secureDialogue(plain);
            }
        } catch (Throwable t) {
            if (!isClosed()) {
                errors.add(t);
            }
        } finally {
            release(plain);
        }
    }

    private void secureDialogue(Socket plain) throws Exception {
        SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, plain.getPort(), false);
        secure.setUseClientMode(false);
        secure.startHandshake();
        InputStream in = secure.getInputStream();
        OutputStream out = secure.getOutputStream();
        switch (fault) {
            case STALL_AFTER_UPGRADE:
                drain(in);
                return;
            case HUGE_LINE:
                stream(out);
                return;
            case RESET_DURING_LARGE_WRITE:
                readAtLeast(in, RESET_AFTER_BYTES);
                reset(plain);
                return;
            case CLOSE_WITHOUT_CLOSE_NOTIFY:
                send(out, LAST_WORDS, false);
                plain.close(); // TCP FIN, no close_notify: the SSLSocket is never closed
                return;
            default:
                echo(in, out);
                secure.close(); // close_notify
        }
    }

    private void echo(InputStream in, OutputStream out) throws IOException, InterruptedException {
        for (String line; (line = readLine(in)) != null; ) {
            if (line.equals("QUIT")) {
                send(out, "221 bye\r\n", false);
                return;
            }
            send(out, "250 " + line + "\r\n", false);
        }
    }

    /** HUGE_LINE: 64 KiB at a time, bounded in bytes and time; stops when the client goes. */
    private void stream(OutputStream out) {
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, (byte) 'x');
        long deadline = System.nanoTime() + STREAM_LIMIT.toNanos();
        try {
            while (streamed.get() < HUGE_LINE_BYTES && System.nanoTime() < deadline && !isClosed()) {
                out.write(block);
                streamed.addAndGet(block.length);
            }
            out.flush();
        } catch (IOException clientWentAway) {
            // expected: the client failed the read and closed the socket
        }
    }

    private void send(OutputStream out, String text, boolean trickle) throws IOException, InterruptedException {
        byte[] bytes = text.getBytes(ISO_8859_1);
        if (!trickle) {
            out.write(bytes);
            out.flush();
            return;
        }
        for (byte b : bytes) {
            out.write(b);
            out.flush();
            Thread.sleep(TRICKLE_INTERVAL.toMillis());
        }
    }

    /** One line without its CR LF (kept in {@link #received()} with them), or null at EOF. */
    private String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            record(new byte[] {(byte) b}, 1);
            if (b == '\n') {
                String text = line.toString(ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return null;
    }

    private void drain(InputStream in) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                record(buffer, n);
            }
        } catch (IOException closedOrReset) {
            // the client went away, or close() ended the stall
        }
    }

    private void readAtLeast(InputStream in, int count) throws IOException {
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n; total < count && (n = in.read(buffer)) >= 0; ) {
            total += n;
        }
    }

    private synchronized void record(byte[] bytes, int n) {
        received.write(bytes, 0, n);
        notifyAll();
    }

    /** Closes with SO_LINGER 0: the kernel sends a TCP RST instead of a FIN. */
    private static void reset(Socket plain) throws IOException {
        plain.setSoLinger(true, 0);
        plain.close();
    }

    /** Closes the listener and every connection, then waits (at most 2 s each) for the peer's threads to end. */
    @Override
    public void close() {
        super.close();
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
