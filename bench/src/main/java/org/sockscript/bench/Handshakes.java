package org.sockscript.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.sockscript.SocketListener;
import org.sockscript.SocketRegistry;

/**
 * Connection set-up, sequential: full TLS 1.3 handshakes per second (new connection, handshake,
 * close; each end the same kind as the other), resumed ones (sockscript and Netty, each resuming
 * its own server's tickets and reading the one-line greeting they come with; every handshake
 * counted must be a resumption) and the cost of sockscript's {@code secure} on an
 * open socket against {@code openSecure}. Variants are interleaved within each round.
 *
 * <p>{@code Handshakes <rounds> <perVariant> <maxSecondsPerVariant>}.
 */
public final class Handshakes {

  interface Op {
    void run(int i) throws Exception;
  }

  final Pki pki;
  final SocketRegistry ssServer;
  final SocketRegistry ssClient;
  final SocketRegistry ssResumingClient;
  final SslContext nettyResumingClientTls;
  final String ssTlsPort;
  final String ssPlainPort;
  final String ssPlainOnlyPort;
  /** A secure listener that greets each client with a line: its TLS 1.3 tickets leave with it. */
  final String ssGreetingPort;
  final int nettyGreetingPort;
  final EventLoopGroup nettyServerGroup = new NioEventLoopGroup(1);
  final EventLoopGroup nettyClientGroup = new NioEventLoopGroup(1);
  final SslContext nettyClientTls;
  final int nettyPort;
  final SSLServerSocket jdkServer;
  final SSLContext jdkClient;
  final AtomicInteger ids = new AtomicInteger();

  Handshakes(Pki pki) throws Exception {
    this.pki = pki;
    ssServer = Tls.sockscriptServer(pki);
    ssClient = Tls.sockscriptClient(pki);
    ssResumingClient = Tls.sockscriptResumingClient(pki);
    SocketListener tidy = new Tidy();
    ssTlsPort = ssServer.accept(0, tidy, true);
    ssPlainOnlyPort = ssServer.accept(0, tidy, false);
    ssGreetingPort = ssServer.accept(0, new Tidy() {
      @Override
      public void newConnection(String socket, String listener) {
        ssServer.write(socket, "hi\n", null);
      }
    }, true);
    // The STARTTLS server side: secure every accepted socket as soon as it is announced.
    ssPlainPort = ssServer.accept(0, new Tidy() {
      @Override
      public void newConnection(String socket, String listener) {
        try {
          ssServer.secure(socket);
        } catch (Exception e) {
          e.printStackTrace();
        }
      }
    }, false);

    SslContext nettyServerTls = Tls.nettyServer(pki);
    nettyClientTls = Tls.nettyClient(pki);
    nettyResumingClientTls = Tls.nettyClient(pki); // its own session cache
    Channel server = new ServerBootstrap().group(nettyServerGroup).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            c.pipeline().addLast(nettyServerTls.newHandler(c.alloc()));
            c.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close(); // a client that closes at once may cut the server's last flight short
              }
            });
          }
        }).bind("127.0.0.1", 0).sync().channel();
    nettyPort = ((InetSocketAddress) server.localAddress()).getPort();
    nettyGreetingPort = nettyGreetingServer(nettyServerTls);

    jdkServer = (SSLServerSocket) Tls.jdkServerContext(pki).getServerSocketFactory()
        .createServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
    Tls.configure(jdkServer);
    jdkClient = Tls.jdkClientContext(pki);
    Thread t = new Thread(this::jdkServe, "jdk-handshake-server");
    t.setDaemon(true);
    t.start();
  }

  /** A Netty server that issues tickets (Conscrypt's are off by default) and greets each client with a line. */
  private int nettyGreetingServer(SslContext tls) throws InterruptedException {
    Channel server = new ServerBootstrap().group(nettyServerGroup).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            SslHandler handler = tls.newHandler(c.alloc());
            org.conscrypt.Conscrypt.setUseSessionTickets(handler.engine(), true);
            c.pipeline().addLast(handler);
            c.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent
                    && ((io.netty.handler.ssl.SslHandshakeCompletionEvent) event).isSuccess()) {
                  ctx.writeAndFlush(io.netty.buffer.Unpooled.copiedBuffer("hi\n", java.nio.charset.StandardCharsets.US_ASCII));
                }
                ctx.fireUserEventTriggered(event);
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
              }
            });
          }
        }).bind("127.0.0.1", 0).sync().channel();
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Closes the server's end when the client's ends. */
  private class Tidy implements SocketListener {
    @Override
    public void socketClosed(String socket) {
      ssServer.close(socket);
    }

    @Override
    public void socketError(String socket, String reason) {
      ssServer.close(socket);
    }
  }

  private void jdkServe() {
    while (!jdkServer.isClosed()) {
      try (SSLSocket s = (SSLSocket) jdkServer.accept()) {
        s.startHandshake();
        s.getInputStream().read(); // until the client's close_notify
      } catch (Exception e) {
        // the client closed first: next
      }
    }
  }

  // ---- one connection each ------------------------------------------------------------------

  void ssOpenSecure(int i) throws Exception {
    String name = "127.0.0.1:" + ssTlsPort + "|h" + ids.incrementAndGet();
    ssClient.openSecure(name, true, Pki.HOST);
    if (i == 0) {
      Tls.check("sockscript", ssClient.tlsInfo(name));
    }
    ssClient.close(name);
  }

  /** Counts the resumed handshakes of the resumed variants: every one must be resumed. */
  final AtomicInteger resumed = new AtomicInteger();

  /** Connect, resume, read the server's one-line greeting (with it come new tickets), close. */
  void ssResumed(int i) throws Exception {
    String name = "127.0.0.1:" + ssGreetingPort + "|r" + ids.incrementAndGet();
    ssResumingClient.openSecure(name, true, Pki.HOST);
    ssResumingClient.read(name, org.sockscript.Chunk.until("\n"));
    if (ssResumingClient.tlsInfo(name).resumed()) {
      resumed.incrementAndGet();
    }
    ssResumingClient.close(name);
  }

  /** As {@link #ssResumed}, with Netty at both ends. */
  void nettyResumed(int i) throws Exception {
    int checks = Tls.SERVER_CHECKS.get();
    io.netty.util.concurrent.Promise<Void> greeted = nettyClientGroup.next().newPromise();
    Channel ch = new Bootstrap().group(nettyClientGroup).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            c.pipeline().addLast(Tls.nettyClientHandler(nettyResumingClientTls, c, nettyGreetingPort, true));
            c.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                io.netty.util.ReferenceCountUtil.release(msg);
                greeted.trySuccess(null); // (a 3-byte line comes in one read on loopback)
              }
            });
          }
        }).connect("127.0.0.1", nettyGreetingPort).sync().channel();
    greeted.sync();
    ch.close().sync();
    if (Tls.SERVER_CHECKS.get() == checks) { // no certificate check: a resumption
      resumed.incrementAndGet();
    }
  }

  void ssOpenThenSecure(int i) throws Exception {
    String name = "127.0.0.1:" + ssPlainPort + "|s" + ids.incrementAndGet();
    ssClient.open(name);
    ssClient.secure(name, true, Pki.HOST);
    var info = ssClient.tlsInfo(name); // waits for the handshake
    if (i == 0) {
      Tls.check("sockscript secure", info);
    }
    ssClient.close(name);
  }

  void ssOpenPlain(int i) throws Exception {
    String name = "127.0.0.1:" + ssPlainOnlyPort + "|o" + ids.incrementAndGet();
    ssClient.open(name); // the plain connect alone, for scale
    ssClient.close(name);
  }

  void netty(int i) throws Exception {
    Channel ch = new Bootstrap().group(nettyClientGroup).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            c.pipeline().addLast(Tls.nettyClientHandler(nettyClientTls, c, nettyPort));
          }
        }).connect("127.0.0.1", nettyPort).sync().channel();
    SslHandler ssl = ch.pipeline().get(SslHandler.class);
    ssl.handshakeFuture().sync();
    if (i == 0) {
      Tls.check("netty", ssl.engine().getSession());
    }
    ch.close().sync();
  }

  void jdk(int i) throws Exception {
    try (Socket plain = new Socket("127.0.0.1", jdkServer.getLocalPort())) {
      SSLSocket s = Tls.jdkClient(jdkClient, plain);
      s.startHandshake();
      if (i == 0) {
        Tls.check("jdk", s.getSession());
      }
      s.getSession().invalidate(); // the JDK would resume from its cache next time: keep it full
      s.close();
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    int perVariant = Integer.parseInt(args[1]);
    double maxSeconds = Double.parseDouble(args[2]);
    Watchdog.start(rounds * 8 * (maxSeconds + 5) + 120);
    Handshakes h = new Handshakes(Pki.load());
    List<String> names = List.of("hs.sockscript", "hs.netty", "hs.jdk",
        "secure.openSecure", "secure.open+secure", "secure.open-plain", "hs.sockscript-resumed", "hs.netty-resumed");
    List<Op> ops = List.of(h::ssOpenSecure, h::netty, h::jdk,
        h::ssOpenSecure, h::ssOpenThenSecure, h::ssOpenPlain, h::ssResumed, h::nettyResumed);
    List<Boolean> counted = List.of(false, true, true, false, false, false, false, false);
    h.resumptionCheck();
    for (Op op : ops) {
      for (int i = 0; i < Math.max(10, perVariant / 4); i++) {
        op.run(i); // warm the JIT on every path before the first round
      }
    }
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < ops.size(); k++) {
        int v = (k + r) % ops.size();
        Op op = ops.get(v);
        for (int i = 0; i < Math.max(5, perVariant / 20); i++) {
          op.run(i); // warm-up, and let the previous variant's closes drain
        }
        int checks0 = Tls.SERVER_CHECKS.get();
        int resumed0 = h.resumed.get();
        long deadline = Util.deadlineIn(maxSeconds);
        long t0 = System.nanoTime();
        int n = 0;
        while (n < perVariant && Util.before(deadline)) {
          op.run(n++);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int checks = Tls.SERVER_CHECKS.get() - checks0;
        if (counted.get(v) && checks != n) {
          throw new IllegalStateException(names.get(v) + ": " + n + " handshakes but " + checks
              + " full certificate checks: some were resumptions");
        }
        String key = names.get(v);
        int resumedNow = h.resumed.get() - resumed0;
        if (key.endsWith("-resumed") && resumedNow != n) {
          throw new IllegalStateException(key + ": " + n + " handshakes but only " + resumedNow + " resumed");
        }
        if (key.startsWith("hs.")) {
          Util.result(key + ".per_s#" + r, n / seconds);
        } else {
          Util.result(key + ".ms#" + r, seconds * 1e3 / n);
        }
        Util.log("round %d %-22s n=%d %.1f/s %.3f ms each", r, key, n, n / seconds, seconds * 1e3 / n);
      }
    }
    System.exit(0);
  }

  /**
   * sockscript builds its own contexts, so its client cannot count certificate checks; this runs
   * a few handshakes against the same sockscript server with a counting client context on the
   * same provider (Conscrypt), resumption off as in the full-handshake variant, to show that
   * those handshakes are full ones (the server would resume a session offered to it).
   */
  void resumptionCheck() throws Exception {
    try (SocketRegistry probe = new SocketRegistry()) {
      SSLContext ctx = SSLContext.getInstance("TLS", Tls.CONSCRYPT);
      ctx.init(null, new javax.net.ssl.TrustManager[] {Tls.counting(pki)}, null);
      probe.setSslContext(ctx);
      probe.setTlsOptions(probe.tlsOptions().toBuilder().sessionResumption(false).build());
      int before = Tls.SERVER_CHECKS.get();
      int n = 20;
      for (int i = 0; i < n; i++) {
        String name = "127.0.0.1:" + ssTlsPort + "|r" + i;
        probe.openSecure(name, true, Pki.HOST);
        probe.close(name);
      }
      int checks = Tls.SERVER_CHECKS.get() - before;
      if (checks != n) {
        throw new IllegalStateException("sockscript server: " + n + " handshakes, " + checks
            + " full certificate checks: it resumes sessions, the handshake figure would be wrong");
      }
      Util.log("resumption check: %d sockscript handshakes, %d full certificate checks", n, checks);
    }
  }
}
