package org.sockscript.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Netty's ping-pong client: a handler that sends the next request from the response's read. */
final class NettyPing extends ChannelInboundHandlerAdapter {
  final long[] samples;
  final int warmup;
  final int total;
  final long deadline;
  final CompletableFuture<Integer> done = new CompletableFuture<>();
  int i;
  int got;
  long t0;

  NettyPing(long[] samples, int warmup, int n, long deadline) {
    this.samples = samples;
    this.warmup = warmup;
    this.total = warmup + n;
    this.deadline = deadline;
  }

  /** Connects (with TLS if {@code clientTls} is set), runs the exchange, returns the samples kept. */
  static int run(EventLoopGroup group, SslContext clientTls, int port, long[] samples, int warmup, int n,
      long deadline) throws Exception {
    NettyPing ping = new NettyPing(samples, warmup, n, deadline);
    Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            if (clientTls != null) {
              c.pipeline().addLast(Tls.nettyClientHandler(clientTls, c, port));
            }
            c.pipeline().addLast(ping);
          }
        }).connect("127.0.0.1", port).sync().channel();
    SslHandler ssl = ch.pipeline().get(SslHandler.class);
    if (ssl != null) {
      ssl.handshakeFuture().sync();
      Tls.check("netty", ssl.engine().getSession());
    }
    ch.eventLoop().execute(() -> ping.send(ch.pipeline().context(ping)));
    int kept = ping.done.get(120, TimeUnit.SECONDS);
    ch.close().sync();
    return kept;
  }

  void send(ChannelHandlerContext ctx) {
    t0 = System.nanoTime();
    ctx.writeAndFlush(ctx.alloc().buffer(PingPong.SIZE).writeBytes(PingPong.PAYLOAD));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf b = (ByteBuf) msg;
    got += b.readableBytes();
    b.release();
    if (got < PingPong.SIZE) {
      return;
    }
    got -= PingPong.SIZE;
    long dt = System.nanoTime() - t0;
    if (i >= warmup) {
      samples[i - warmup] = dt;
    }
    if (++i < total && Util.before(deadline)) {
      send(ctx);
    } else {
      done.complete(Math.max(0, i - warmup));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    done.completeExceptionally(cause);
  }
}
