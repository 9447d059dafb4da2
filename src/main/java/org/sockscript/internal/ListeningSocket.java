package org.sockscript.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener made by {@code accept}: named by its real port; each connection it accepts becomes a
 * {@link Connection} named {@code "<peer ip>:<peer port>"} whose events go to the same listener.
 *
 * <p>A secure listener runs at most {@link #MAX_HANDSHAKES} TLS handshakes at once (as HAProxy's
 * {@code maxsslconn}): each holds an engine, a name and a descriptor until its deadline, so
 * clients that open connections and dribble their handshakes must not grow that without bound.
 * At the cap it stops accepting; further clients wait in the kernel's backlog until a handshake
 * finishes or fails.
 */
final class ListeningSocket implements Endpoint, EventLoop.Handler {

  private static final Logger log = LoggerFactory.getLogger(ListeningSocket.class);

  private final SocketCore core;
  private final ServerSocketChannel server;
  private final String name;
  private final EventSink events;
  private final boolean secure;
  /** A secure listener's own TLS options; null: the registry's, as they are when a client comes. */
  private final org.sockscript.TlsOptions options;
  private SelectionKey key;
  /** Handshakes in progress at once, at most (a secure listener); tests lower it. */
  static final int MAX_HANDSHAKES = 256;
  int maxHandshakes = MAX_HANDSHAKES;
  private int handshakes;
  private boolean pausedAtCap;

  ListeningSocket(SocketCore core, ServerSocketChannel server, EventSink events, boolean secure,
      org.sockscript.TlsOptions options) {
    this.core = core;
    this.server = server;
    this.name = String.valueOf(((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort());
    this.events = events;
    this.secure = secure;
    this.options = options;
  }

  /** Listens on {@code port} of every address. */
  static ListeningSocket open(SocketCore core, int port, EventSink events, boolean secure) throws IOException {
    return open(core, new InetSocketAddress(port), events, secure, null);
  }

  /**
   * Listens on {@code at} for {@code core}: bound, named and accepting when it returns; a secure
   * listener's connections use {@code options} (null: the registry's).
   */
  static ListeningSocket open(SocketCore core, InetSocketAddress at, EventSink events, boolean secure,
      org.sockscript.TlsOptions options) throws IOException {
    ServerSocketChannel server = bind(at);
    ListeningSocket ls = new ListeningSocket(core, server, events, secure, options);
    boolean claimed;
    try {
      claimed = core.table.register(ls);
    } catch (RuntimeException closed) { // the registry closed meanwhile
      server.close();
      throw closed;
    }
    if (!claimed) {
      server.close();
      throw new IllegalStateException("socket is already open: \"" + ls.name() + "\"");
    }
    java.util.concurrent.CompletableFuture<Void> started = new java.util.concurrent.CompletableFuture<>();
    core.loop.executeOrRun(() -> { // (a listener's call on the loop starts it at once)
      try {
        ls.start();
        started.complete(null);
      } catch (IOException e) {
        core.table.forget(ls);
        started.completeExceptionally(e);
      }
    });
    Waits.await(started, () -> core.abandon(ls)); // the call threw: no listener is left behind
    return ls;
  }

  /** A non-blocking server channel bound to {@code at} (port 0: any free port). */
  private static ServerSocketChannel bind(InetSocketAddress at) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.configureBlocking(false);
      LocalAddresses.listen(server, at, "");
      return server;
    } catch (IOException e) {
      server.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** For the log: {@code listener 8080 secure}. */
  @Override
  public String toString() {
    return "listener " + name + (secure ? " secure" : "");
  }

  /** Starts accepting. Loop thread. */
  void start() throws IOException {
    key = core.loop.register(server, SelectionKey.OP_ACCEPT, this);
  }

  @Override
  public void ready(SelectionKey k) {
    // Bounded per wake-up so one busy listener cannot starve the other sockets.
    for (int i = 0; i < 64 && !core.table.isClosed(); i++) { // closing: the backlog goes with the channel
      if (secure && handshakes >= maxHandshakes) {
        pausedAtCap = true; // resumed by handshakeEnded
        k.interestOps(0);
        return;
      }
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        // Out of file descriptors, say: pause accepting instead of spinning on a ready key.
        log.warn("{}: accept failed, pausing 100 ms: {}", name, e.toString());
        k.interestOps(0);
        core.loop.schedule(100_000_000L, () -> {
          if (k.isValid() && !pausedAtCap) {
            k.interestOps(SelectionKey.OP_ACCEPT);
          }
        });
        return;
      }
      if (channel == null) {
        return;
      }
      adopt(channel);
    }
  }

  private void adopt(SocketChannel channel) {
    String peer;
    try {
      InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
      peer = SocketName.format(remote.getAddress(), remote.getPort());
    } catch (IOException e) {
      closeQuietly(channel);
      return;
    }
    Connection c = new Connection(core, peer, null, events, Opening.accepted(name));
    if (secure) {
      // Before the name is claimed: no byte goes plain. (Settings that refuse a server give a
      // stage that fails as it begins: the connection's socketError says why.)
      c.secureFromTheStart(core.serverStage(options));
    }
    if (!core.table.registerAccepted(c)) {
      if (!core.table.isClosed()) { // (a registry closing meanwhile is no news: the connection goes with it)
        log.warn("{}: a socket named {} is already open; refusing the new connection", name, peer);
      }
      if (c.tls != null) {
        c.tls.free();
      }
      closeQuietly(channel);
      return;
    }
    if (secure) {
      handshakes++;
      c.handshakeEnded = this::handshakeEnded;
    }
    try {
      c.adopt(channel);
    } catch (IOException e) {
      c.fail(Failures.io(peer, e));
    }
  }

  /** A connection's handshake finished or failed: a place is free. Loop thread. */
  private void handshakeEnded() {
    handshakes--;
    if (pausedAtCap && handshakes < maxHandshakes && key != null && key.isValid()) {
      pausedAtCap = false;
      key.interestOps(SelectionKey.OP_ACCEPT);
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  @Override
  public void closeByScript() {
    core.table.forget(this);
    if (key != null) {
      key.cancel();
    }
    try {
      server.close();
    } catch (IOException e) {
      log.debug("{}: closing", name, e);
    }
  }
}
