package org.sockscript.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.sockscript.Chunk;
import org.sockscript.SocketListener;
import org.sockscript.SocketRegistry;

/**
 * Ping-pong latency: 64-byte request and response, one at a time on one connection. All variants
 * run in this JVM (a {@code taskset -c 0} launch pins them all), interleaved within each round;
 * sockscript's clients against the Netty echo server (the common peer) and a sockscript one.
 *
 * <p>{@code PingPong <label> <rounds> <warmup> <iterations> <maxSecondsPerVariant>}: prints {@code RESULT pp.<label>.<variant>.median_us#<round>}, {@code .p99_us}.
 */
public final class PingPong {

  static final int SIZE = 64;
  static final byte[] PAYLOAD = Util.ascii(SIZE);

  /** Context switches when the last variant finished its round trips (before it closed). */
  static volatile long switchesAtEnd;

  static void finished() {
    switchesAtEnd = Util.contextSwitches();
  }

  interface Variant {
    /** Opens a connection, runs {@code warmup + n} round trips, closes; returns samples kept. */
    int run(long[] samples, int warmup, int n, long deadline) throws Exception;
  }

  final Pki pki;
  final EventLoopGroup nettyServerGroup = new NioEventLoopGroup(1);
  final EventLoopGroup nettyClientGroup = new NioEventLoopGroup(1);
  final SslContext nettyServerTls;
  final SslContext nettyClientTls;
  int nettyPlainPort;
  int nettyTlsPort;
  final ServerSocketChannel nioServer = ServerSocketChannel.open();
  SSLServerSocket jdkServer;
  SSLContext jdkClient;
  final SocketRegistry ssServer;
  final SocketRegistry ssClient;
  final SocketRegistry ssDirect; // runs its callbacks on its I/O thread (ListenerThreads.IO_THREAD)
  String ssPlainPort;
  String ssTlsPort;
  final AtomicInteger ids = new AtomicInteger();

  PingPong(Pki pki) throws Exception {
    this.pki = pki;
    nettyServerTls = Tls.nettyServer(pki);
    nettyClientTls = Tls.nettyClient(pki);
    nettyPlainPort = nettyEcho(null);
    nettyTlsPort = nettyEcho(nettyServerTls);
    nioServer.bind(new InetSocketAddress("127.0.0.1", 0));
    Util.daemon("nio-echo-accept", this::nioAccept);
    jdkServer = (SSLServerSocket) Tls.jdkServerContext(pki).getServerSocketFactory()
        .createServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
    Tls.configure(jdkServer);
    jdkClient = Tls.jdkClientContext(pki);
    Util.daemon("jdk-echo-accept", this::jdkAccept);
    ssServer = Tls.sockscriptServer(pki);
    ssClient = Tls.sockscriptClient(pki);
    ssDirect = Tls.sockscriptClient(pki);
    ssDirect.setListenerThreads(org.sockscript.ListenerThreads.IO_THREAD);
    SocketListener echo = new SocketListener() {
      @Override
      public void newConnection(String socket, String listener) {
        echo(socket);
      }

      @Override
      public void socketClosed(String socket) {
        ssServer.close(socket);
      }
    };
    ssPlainPort = ssServer.accept(0, echo, false);
    ssTlsPort = ssServer.accept(0, echo, true);
  }

  /** The sockscript echo server, callback style: read 64 bytes, write them back, repeat. */
  private void echo(String socket) {
    try {
      ssServer.read(socket, Chunk.bytes(SIZE), (s, data) -> echoed(s, data));
    } catch (RuntimeException closedMeanwhile) {
      // the client hung up before we asked for the next request
    }
  }

  private void echoed(String s, String data) {
    if (data.length() == SIZE) {
      try {
        ssServer.write(s, data, null);
      } catch (RuntimeException closedMeanwhile) {
        return; // the client hung up between our read and our write
      }
      echo(s);
    }
  }

  // ---- servers ------------------------------------------------------------------------------

  private int nettyEcho(SslContext tls) throws Exception {
    return nettyEcho(nettyServerGroup, tls);
  }

  /** A Netty echo server on {@code group} (TLS if {@code tls} is not null); returns its port. */
  static int nettyEcho(EventLoopGroup group, SslContext tls) throws Exception {
    Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            if (tls != null) {
              c.pipeline().addLast(tls.newHandler(c.alloc()));
            }
            c.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.write(msg);
              }

              @Override
              public void channelReadComplete(ChannelHandlerContext ctx) {
                ctx.flush();
              }
            });
          }
        }).bind("127.0.0.1", 0).sync().channel();
    return ((InetSocketAddress) ch.localAddress()).getPort();
  }

  private void nioAccept() {
    while (nioServer.isOpen()) {
      try {
        java.nio.channels.SocketChannel ch = nioServer.accept();
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Util.daemon("nio-echo", () -> {
          ByteBuffer buf = ByteBuffer.allocateDirect(4096);
          try (ch) {
            while (ch.read(buf.clear()) > 0) {
              buf.flip();
              while (buf.hasRemaining()) {
                ch.write(buf);
              }
            }
          } catch (Exception e) {
            // the client went away
          }
        });
      } catch (Exception e) {
        return;
      }
    }
  }

  private void jdkAccept() {
    while (!jdkServer.isClosed()) {
      try {
        Socket s = jdkServer.accept();
        s.setTcpNoDelay(true);
        Util.daemon("jdk-echo", () -> {
          byte[] buf = new byte[4096];
          try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
              out.write(buf, 0, n);
              out.flush();
            }
          } catch (Exception e) {
            // the client went away
          }
        });
      } catch (Exception e) {
        return;
      }
    }
  }

  // ---- clients ------------------------------------------------------------------------------

  /** Raw NIO: a blocking SocketChannel, against the NIO echo thread. */
  int nio(long[] samples, int warmup, int n, long deadline) throws Exception {
    try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(nioServer.getLocalAddress())) {
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ByteBuffer out = ByteBuffer.allocateDirect(SIZE);
      out.put(PAYLOAD);
      ByteBuffer in = ByteBuffer.allocateDirect(SIZE);
      int kept = 0;
      for (int i = 0; i < warmup + n && Util.before(deadline); i++) {
        long t0 = System.nanoTime();
        out.clear();
        while (out.hasRemaining()) {
          ch.write(out);
        }
        in.clear();
        while (in.hasRemaining()) {
          if (ch.read(in) < 0) {
            throw new IllegalStateException("echo closed");
          }
        }
        if (i >= warmup) {
          samples[kept++] = System.nanoTime() - t0;
        }
      }
      finished();
      return kept;
    }
  }

  /** The JDK's SSLSocket against an SSLServerSocket echo thread. */
  int jdk(long[] samples, int warmup, int n, long deadline) throws Exception {
    try (Socket plain = new Socket("127.0.0.1", jdkServer.getLocalPort())) {
      plain.setTcpNoDelay(true);
      SSLSocket s = Tls.jdkClient(jdkClient, plain);
      s.startHandshake();
      Tls.check("jdk", s.getSession());
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[SIZE];
      int kept = 0;
      for (int i = 0; i < warmup + n && Util.before(deadline); i++) {
        long t0 = System.nanoTime();
        out.write(PAYLOAD);
        out.flush();
        for (int got = 0; got < SIZE; ) {
          int r = in.read(buf, got, SIZE - got);
          if (r < 0) {
            throw new IllegalStateException("echo closed");
          }
          got += r;
        }
        if (i >= warmup) {
          samples[kept++] = System.nanoTime() - t0;
        }
      }
      finished();
      s.close();
      return kept;
    }
  }

  /** Netty: the whole exchange runs on the client's event loop (see {@link NettyPing}). */
  int netty(boolean tls, long[] samples, int warmup, int n, long deadline) throws Exception {
    int port = tls ? nettyTlsPort : nettyPlainPort;
    int kept = NettyPing.run(nettyClientGroup, tls ? nettyClientTls : null, port, samples, warmup, n, deadline);
    finished();
    return kept;
  }

  private String ssOpen(SocketRegistry client, boolean tls, boolean toNetty) throws Exception {
    String port = toNetty ? String.valueOf(tls ? nettyTlsPort : nettyPlainPort) : tls ? ssTlsPort : ssPlainPort;
    String name = "127.0.0.1:" + port + "|p" + ids.incrementAndGet();
    if (tls) {
      client.openSecure(name, true, Pki.HOST);
      Tls.check("sockscript", client.tlsInfo(name));
    } else {
      client.open(name);
    }
    return name;
  }

  /** sockscript, script style: {@code write} then {@code readBytes}, both blocking. */
  int ssBlocking(boolean tls, boolean toNetty, long[] samples, int warmup, int n, long deadline)
      throws Exception {
    String name = ssOpen(ssClient, tls, toNetty);
    int kept = 0;
    for (int i = 0; i < warmup + n && Util.before(deadline); i++) {
      long t0 = System.nanoTime();
      ssClient.write(name, PAYLOAD);
      ssClient.readBytes(name, Chunk.bytes(SIZE));
      if (i >= warmup) {
        samples[kept++] = System.nanoTime() - t0;
      }
    }
    finished();
    ssClient.close(name);
    return kept;
  }

  /** sockscript, callback style on {@code client}: each response's callback writes the next request. */
  int ssCallback(SocketRegistry client, boolean tls, boolean toNetty, long[] samples, int warmup, int n,
      long deadline) throws Exception {
    String name = ssOpen(client, tls, toNetty);
    CompletableFuture<Integer> done = new CompletableFuture<>();
    int total = warmup + n;
    new Object() {
      int i;
      long t0;

      void send() {
        t0 = System.nanoTime();
        client.write(name, PAYLOAD, null);
        client.read(name, Chunk.bytes(SIZE), this::received);
      }

      void received(String socket, String data) {
        long dt = System.nanoTime() - t0;
        if (data.length() != SIZE) {
          done.completeExceptionally(new IllegalStateException("short response: " + data.length()));
          return;
        }
        if (i >= warmup) {
          samples[i - warmup] = dt;
        }
        if (++i < total && Util.before(deadline)) {
          send();
        } else {
          done.complete(Math.max(0, i - warmup));
        }
      }
    }.send();
    int kept = done.get(120, TimeUnit.SECONDS);
    finished();
    client.close(name);
    return kept;
  }

  // ---- the rounds ---------------------------------------------------------------------------

  public static void main(String[] args) throws Exception {
    String label = args[0];
    int rounds = Integer.parseInt(args[1]);
    int warmup = Integer.parseInt(args[2]);
    int iterations = Integer.parseInt(args[3]);
    double maxSeconds = Double.parseDouble(args[4]);
    Watchdog.start(rounds * 12 * (maxSeconds + 5) + 120);
    PingPong pp = new PingPong(Pki.load());
    List<String> names = new ArrayList<>();
    List<Variant> variants = new ArrayList<>();
    for (boolean tls : new boolean[] {false, true}) {
      String t = tls ? "tls." : "plain.";
      if (tls) {
        names.add(t + "jdk");
        variants.add(pp::jdk);
      } else {
        names.add(t + "nio");
        variants.add(pp::nio);
      }
      names.add(t + "netty");
      variants.add((s, w, n, d) -> pp.netty(tls, s, w, n, d));
      names.add(t + "sockscript-callback");
      variants.add((s, w, n, d) -> pp.ssCallback(pp.ssClient, tls, true, s, w, n, d));
      names.add(t + "sockscript-direct");
      variants.add((s, w, n, d) -> pp.ssCallback(pp.ssDirect, tls, true, s, w, n, d));
      names.add(t + "sockscript-blocking");
      variants.add((s, w, n, d) -> pp.ssBlocking(tls, true, s, w, n, d));
      names.add(t + "sockscript-callback-pair");
      variants.add((s, w, n, d) -> pp.ssCallback(pp.ssClient, tls, false, s, w, n, d));
      names.add(t + "sockscript-blocking-pair");
      variants.add((s, w, n, d) -> pp.ssBlocking(tls, false, s, w, n, d));
    }
    long[] samples = new long[iterations];
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < variants.size(); k++) {
        int v = (k + r) % variants.size();
        long switches0 = Util.contextSwitches();
        int kept = variants.get(v).run(samples, warmup, iterations, Util.deadlineIn(maxSeconds));
        double switches = (switchesAtEnd - switches0) / (double) (kept + warmup);
        if (kept < 10) {
          throw new IllegalStateException(names.get(v) + ": only " + kept + " samples");
        }
        long median = Util.quantile(samples, kept, 0.5);
        long p99 = Util.quantile(samples, kept, 0.99);
        String key = "pp." + label + "." + names.get(v);
        Util.result(key + ".median_us#" + r, median / 1e3);
        Util.result(key + ".p99_us#" + r, p99 / 1e3);
        Util.result(key + ".switches#" + r, switches);
        Util.log("round %d %-40s n=%d median %.1f us p99 %.1f us, %.1f context switches per round trip", r, names.get(v),
            kept, median / 1e3, p99 / 1e3, switches);
      }
    }
    System.exit(0);
  }
}
