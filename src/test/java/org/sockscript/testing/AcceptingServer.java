package org.sockscript.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Base of the loopback test servers: owns a listener on 127.0.0.1:0, a daemon accept thread and
 * the set of open sockets, and closes them all in {@link #close()}. A subclass starts the accept
 * thread at the end of its constructor with {@link #startAccepting(String)} and says in
 * {@link #accepted(Socket)} what happens to each connection.
 */
abstract class AcceptingServer implements AutoCloseable {

    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private Thread acceptThread;

    /** Binds the listener; nothing is accepted until {@link #startAccepting(String)}. */
    AcceptingServer() throws IOException {
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(Loopback.HOST, 0));
    }

    /** Starts the accept thread; call once, after the subclass's own fields are set. */
    final void startAccepting(String threadName) {
        acceptThread = daemon(this::acceptLoop, threadName);
    }

    /** Handles one accepted socket, already tracked; runs on the accept thread, so it must not block long. */
    abstract void accepted(Socket s);

    /** The local port. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Whether {@link #close()} was called. */
    final boolean isClosed() {
        return closed;
    }

    /** Adds {@code s} to the sockets {@link #close()} closes. */
    final void track(Socket s) {
        sockets.add(s);
    }

    /** Stops tracking each socket and closes it quietly. */
    final void release(Socket... all) {
        for (Socket s : all) {
            sockets.remove(s);
            closeQuietly(s);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = listener.accept();
                track(s);
                accepted(s);
            } catch (IOException e) {
                return; // listener closed
            }
        }
    }

    /** Closes {@code c}, ignoring any failure. */
    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    /** Starts {@code r} on a new daemon thread called {@code name}. */
    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits (at most 1 s) for the accept thread: the kernel drops the listener only once its accept() returns. */
    private void awaitAcceptThread() {
        if (acceptThread == null) {
            return;
        }
        try {
            acceptThread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes the listener (refusing connects once this returns) and every tracked socket; threads
     * blocked on those sockets then fail and end.
     */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        awaitAcceptThread();
        release(sockets.toArray(new Socket[0]));
    }
}
