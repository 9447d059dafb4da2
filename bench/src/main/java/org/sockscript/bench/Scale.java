package org.sockscript.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.sockscript.SocketListener;
import org.sockscript.SocketRegistry;

/**
 * Many idle client connections in one process, the peer ({@link ScalePeer}) in another: heap
 * and RSS per connection, threads. One variant per process, so the figures belong to it.
 *
 * <p>{@code Scale <variant> <connections>}, variant one of tls-sockscript, tls-netty,
 * plain-sockscript, plain-netty, plain-nio.
 */
public final class Scale {

  static final int WINDOW = 128;
  static final int WARM = 50;

  interface Client extends AutoCloseable {
    /** Opens connection {@code i}; calls {@code done} (with null or a failure) when usable. */
    void open(int i, java.util.function.Consumer<Throwable> done) throws Exception;

    /** How many connections are open now. */
    int open();

    /** Closes the first {@code n} (used after the warm-up). */
    void closeFirst(int n) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String variant = args[0];
    int n = Integer.parseInt(args[1]);
    Watchdog.start(600);
    int jvmThreads = Thread.activeCount();
    boolean tls = variant.startsWith("tls-");
    String cp = System.getProperty("java.class.path");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process peer = new ProcessBuilder(java, "-Xmx2g", "-Dbench.pki=" + System.getProperty("bench.pki"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", cp, ScalePeer.class.getName(),
        tls ? "tls" : "plain", "580").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      String line = new BufferedReader(new InputStreamReader(peer.getInputStream())).readLine();
      if (line == null || !line.startsWith("PORT ")) {
        throw new IllegalStateException("the peer did not start: " + line);
      }
      int port = Integer.parseInt(line.substring(5).trim());
      run(variant, n, port, jvmThreads);
    } finally {
      peer.getOutputStream().close();
      peer.destroy();
      peer.waitFor(5, TimeUnit.SECONDS);
      peer.destroyForcibly();
    }
    System.exit(0);
  }

  static void run(String variant, int n, int port, int jvmThreads) throws Exception {
    Pki pki = Pki.load();
    try (Client client = client(variant, pki, port)) {
      openAll(client, 0, WARM);
      client.closeFirst(WARM);
      Thread.sleep(500);
      long heap0 = Util.heapAfterGc();
      long rss0 = Util.status("VmRSS") * 1024;
      long fds0 = Util.openFds();
      long t0 = System.nanoTime();
      openAll(client, WARM, WARM + n);
      double openSeconds = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(1000); // idle
      long heap1 = Util.heapAfterGc();
      long rss1 = Util.status("VmRSS") * 1024;
      int open = client.open();
      if (open != n) {
        throw new IllegalStateException(variant + ": " + open + " of " + n + " connections open");
      }
      int ioThreads = 0;
      List<String> names = new ArrayList<>();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        String name = t.getName();
        names.add(name);
        if (name.startsWith("sockscript-io") || name.startsWith("nioEventLoopGroup")
            || name.startsWith("nio-selector")) {
          ioThreads++;
        }
      }
      Util.result("connections", n);
      Util.result("open_per_s", n / openSeconds);
      Util.result("heap_per_conn", (heap1 - heap0) / (double) n);
      Util.result("rss_per_conn", (rss1 - rss0) / (double) n);
      Util.result("io_threads", ioThreads);
      Util.result("threads_added", Thread.activeCount() - jvmThreads);
      Util.result("fds_per_conn", (Util.openFds() - fds0) / (double) n);
      Util.log("%s: %d open in %.1f s; heap +%.0f B/conn, RSS +%.0f B/conn; %d I/O threads; threads %s",
          variant, n, openSeconds, (heap1 - heap0) / (double) n, (rss1 - rss0) / (double) n, ioThreads, names);
    }
  }

  /** Opens connections {@code from..to-1}, at most {@link #WINDOW} handshakes at a time. */
  static void openAll(Client client, int from, int to) throws Exception {
    Semaphore window = new Semaphore(WINDOW);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long deadline = Util.deadlineIn(300);
    for (int i = from; i < to && failure.get() == null; i++) {
      if (!window.tryAcquire(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("opening timed out at " + i);
      }
      client.open(i, e -> {
        if (e != null) {
          failure.compareAndSet(null, e);
        }
        window.release();
      });
    }
    if (!window.tryAcquire(WINDOW, 120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the last opens did not finish");
    }
    if (failure.get() != null) {
      throw new IllegalStateException("an open failed", failure.get());
    }
  }

  static Client client(String variant, Pki pki, int port) throws Exception {
    switch (variant) {
      case "tls-sockscript": return new Sockscript(pki, port, true);
      case "plain-sockscript": return new Sockscript(pki, port, false);
      case "tls-netty": return new Netty(pki, port, true);
      case "plain-netty": return new Netty(pki, port, false);
      case "plain-nio": return new Nio(port);
      default: throw new IllegalArgumentException(variant);
    }
  }

  static final class Sockscript implements Client {
    final SocketRegistry registry;
    final int port;
    final boolean tls;
    final java.util.Map<String, java.util.function.Consumer<Throwable>> pending =
        new java.util.concurrent.ConcurrentHashMap<>();
    final SocketListener listener = new SocketListener() {
      @Override
      public void connected(String socket) {
        pending.remove(socket).accept(null);
      }

      @Override
      public void socketError(String socket, String reason) {
        var done = pending.remove(socket);
        if (done != null) {
          done.accept(new IllegalStateException(socket + ": " + reason));
        }
      }

      @Override
      public void socketTimeout(String socket) {
        socketError(socket, "timeout");
      }
    };

    Sockscript(Pki pki, int port, boolean tls) throws Exception {
      registry = Tls.sockscriptClient(pki);
      this.port = port;
      this.tls = tls;
    }

    String name(int i) {
      return "127.0.0.1:" + port + "|" + i;
    }

    @Override
    public void open(int i, java.util.function.Consumer<Throwable> done) {
      pending.put(name(i), done);
      if (tls) {
        registry.openSecure(name(i), true, Pki.HOST, listener);
      } else {
        registry.open(name(i), listener);
      }
    }

    @Override
    public int open() {
      return registry.openSockets().size();
    }

    @Override
    public void closeFirst(int n) throws Exception {
      if (tls) {
        Tls.check("sockscript", registry.tlsInfo(name(0)));
      }
      for (int i = 0; i < n; i++) {
        registry.close(name(i));
      }
    }

    @Override
    public void close() {
      registry.close();
    }
  }

  static final class Netty implements Client {
    final EventLoopGroup group = new NioEventLoopGroup(1);
    final SslContext ctx;
    final int port;
    final List<Channel> channels = java.util.Collections.synchronizedList(new ArrayList<>());

    Netty(Pki pki, int port, boolean tls) throws Exception {
      ctx = tls ? Tls.nettyClient(pki) : null;
      this.port = port;
    }

    @Override
    public void open(int i, java.util.function.Consumer<Throwable> done) {
      ChannelFuture f = new Bootstrap().group(group).channel(NioSocketChannel.class)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel c) {
              if (ctx != null) {
                c.pipeline().addLast(Tls.nettyClientHandler(ctx, c, port));
              }
            }
          }).connect("127.0.0.1", port);
      f.addListener(cf -> {
        if (!cf.isSuccess()) {
          done.accept(cf.cause());
          return;
        }
        channels.add(f.channel());
        SslHandler ssl = f.channel().pipeline().get(SslHandler.class);
        if (ssl == null) {
          done.accept(null);
        } else {
          ssl.handshakeFuture().addListener(hf -> done.accept(hf.isSuccess() ? null : hf.cause()));
        }
      });
    }

    @Override
    public int open() {
      synchronized (channels) {
        return (int) channels.stream().filter(Channel::isActive).count();
      }
    }

    @Override
    public void closeFirst(int n) throws Exception {
      List<Channel> first;
      synchronized (channels) {
        first = new ArrayList<>(channels.subList(0, n));
        channels.subList(0, n).clear();
      }
      SslHandler ssl = first.get(0).pipeline().get(SslHandler.class);
      if (ssl != null) {
        Tls.check("netty", ssl.engine().getSession());
      }
      for (Channel c : first) {
        c.close().sync();
      }
    }

    @Override
    public void close() throws Exception {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** Raw NIO: non-blocking SocketChannels registered for reads with one selector thread. */
  static final class Nio implements Client {
    final Selector selector = Selector.open();
    final InetSocketAddress address;
    final List<java.nio.channels.SocketChannel> channels = new ArrayList<>();
    final java.util.concurrent.ConcurrentLinkedQueue<java.nio.channels.SocketChannel> toRegister =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    final AtomicInteger registered = new AtomicInteger();
    final Thread thread;
    volatile boolean running = true;

    Nio(int port) throws Exception {
      address = new InetSocketAddress("127.0.0.1", port);
      thread = new Thread(this::loop, "nio-selector");
      thread.setDaemon(true);
      thread.start();
    }

    private void loop() {
      while (running) {
        try {
          selector.select(100);
          java.nio.channels.SocketChannel ch;
          while ((ch = toRegister.poll()) != null) {
            try {
              ch.register(selector, SelectionKey.OP_READ);
              registered.incrementAndGet();
            } catch (java.nio.channels.ClosedChannelException closedMeanwhile) {
              // a warm-up channel, closed before it was registered
            }
          }
          selector.selectedKeys().clear();
        } catch (Exception e) {
          return;
        }
      }
    }

    @Override
    public void open(int i, java.util.function.Consumer<Throwable> done) throws Exception {
      java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(address);
      ch.configureBlocking(false);
      channels.add(ch);
      toRegister.add(ch);
      selector.wakeup();
      done.accept(null);
    }

    @Override
    public int open() {
      return (int) channels.stream().filter(java.nio.channels.SocketChannel::isConnected).count();
    }

    @Override
    public void closeFirst(int n) throws Exception {
      for (int i = 0; i < n; i++) {
        channels.get(i).close();
      }
      channels.subList(0, n).clear();
      selector.wakeup();
    }

    @Override
    public void close() throws Exception {
      running = false;
      for (var c : channels) {
        c.close();
      }
      selector.close();
    }
  }
}
