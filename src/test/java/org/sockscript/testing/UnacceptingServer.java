package org.sockscript.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback listening socket that never accepts and whose accept queue is already full, so a
 * further client {@code connect()} hangs until its own timeout (Linux drops SYNs while the accept
 * queue is full). Built as: listen with backlog 1, then open filler connections, 200 ms each,
 * until one times out (at most 16 tries). The fillers stay open until {@link #close()}.
 */
public final class UnacceptingServer implements AutoCloseable {

    private static final int MAX_FILLERS = 16;
    private static final int FILL_TIMEOUT_MILLIS = 200;

    private final ServerSocket listener;
    private final List<Socket> fillers = new ArrayList<>();

    private UnacceptingServer() throws IOException {
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(Loopback.HOST, 0), 1);
    }

    /**
     * Starts the server and fills its backlog.
     *
     * @throws IllegalStateException if no filler connect timed out within 16 tries
     *     (the OS kept completing connections, so a hanging connect cannot be promised)
     */
    public static UnacceptingServer start() throws IOException {
        UnacceptingServer server = new UnacceptingServer();
        try {
            server.fill();
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void fill() throws IOException {
        for (int i = 0; i < MAX_FILLERS; i++) {
            Socket s = new Socket();
            try {
                s.connect(address(), FILL_TIMEOUT_MILLIS);
                fillers.add(s);
            } catch (SocketTimeoutException full) {
                s.close();
                return;
            }
        }
        throw new IllegalStateException("accept backlog of 127.0.0.1:" + port()
                + " never filled after " + MAX_FILLERS + " connections");
    }

    /** The listening port. */
    public int port() {
        return listener.getLocalPort();
    }

    /** 127.0.0.1:{@link #port()}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(Loopback.HOST, port());
    }

    /** How many filler connections hold the backlog full. */
    public int fillerCount() {
        return fillers.size();
    }

    /** Closes the fillers and the listener; later connects are refused. */
    @Override
    public void close() {
        for (Socket s : fillers) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
