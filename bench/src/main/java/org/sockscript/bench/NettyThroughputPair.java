package org.sockscript.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Netty to Netty for {@link Throughput}: NIO transport, one event loop each side, pooled direct
 * buffers; the sender writes while the channel is writable and flushes, the receiver counts.
 */
final class NettyThroughputPair implements Throughput.Pair {
  final EventLoopGroup serverGroup = new NioEventLoopGroup(1);
  final EventLoopGroup clientGroup = new NioEventLoopGroup(1);
  final SslContext serverTls;
  final SslContext clientTls;
  final Channel server;
  final int port;

  NettyThroughputPair(Pki pki, boolean tls) throws Exception {
    serverTls = tls ? Tls.nettyServer(pki) : null;
    clientTls = tls ? Tls.nettyClient(pki) : null;
    server = new ServerBootstrap().group(serverGroup).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (serverTls != null) {
              ch.pipeline().addLast(serverTls.newHandler(ch.alloc()));
            }
            ch.pipeline().addLast(new Sink());
          }
        }).bind("127.0.0.1", 0).sync().channel();
    port = ((InetSocketAddress) server.localAddress()).getPort();
  }

  static final class Sink extends ChannelInboundHandlerAdapter {
    private long header;
    private int headerBytes;
    private long left;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      try {
        while (headerBytes < 8 && b.isReadable()) {
          header = header << 8 | (b.readByte() & 0xff);
          if (++headerBytes == 8) {
            left = header;
          }
        }
        left -= b.readableBytes();
        if (headerBytes == 8 && left == 0) {
          ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(1));
        }
      } finally {
        b.release();
      }
    }
  }

  static final class Source extends ChannelInboundHandlerAdapter {
    final byte[] data = Util.ascii(Throughput.WRITE);
    final CompletableFuture<Void> acked = new CompletableFuture<>();
    long left;

    void start(ChannelHandlerContext ctx, long n) {
      left = n;
      ctx.write(ctx.alloc().buffer(8).writeLong(n));
      pump(ctx);
    }

    private void pump(ChannelHandlerContext ctx) {
      while (left > 0 && ctx.channel().isWritable()) {
        ctx.write(ctx.alloc().directBuffer(Throughput.WRITE).writeBytes(data));
        left -= Throughput.WRITE;
      }
      ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        pump(ctx);
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ((ByteBuf) msg).release();
      acked.complete(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      acked.completeExceptionally(cause);
    }
  }

  @Override
  public long transfer(long n) throws Exception {
    Source source = new Source();
    Channel ch = new Bootstrap().group(clientGroup).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            if (clientTls != null) {
              c.pipeline().addLast(Tls.nettyClientHandler(clientTls, c, port));
            }
            c.pipeline().addLast(source);
          }
        }).connect("127.0.0.1", port).sync().channel();
    SslHandler ssl = ch.pipeline().get(SslHandler.class);
    if (ssl != null) {
      ssl.handshakeFuture().sync();
      Tls.check("netty", ssl.engine().getSession());
    }
    long t0 = System.nanoTime();
    ch.eventLoop().execute(() -> source.start(ch.pipeline().context(source), n));
    source.acked.get(120, TimeUnit.SECONDS);
    long t = System.nanoTime() - t0;
    ch.close().sync();
    return t;
  }

  @Override
  public void close() throws Exception {
    server.close().sync();
    clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }
}