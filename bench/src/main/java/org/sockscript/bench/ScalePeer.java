package org.sockscript.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;

/**
 * The far end of the scale test, in its own process so the connections' other ends do not count
 * against the measured process's file descriptors, heap or RSS: a Netty server (one event loop,
 * Conscrypt for TLS) that accepts and holds connections. Prints {@code PORT <n>}; exits when its
 * standard input closes (the parent ended) or after {@code maxSeconds}.
 *
 * <p>{@code ScalePeer <tls|plain> <maxSeconds>}
 */
public final class ScalePeer {

  public static void main(String[] args) throws Exception {
    boolean tls = args[0].equals("tls");
    Watchdog.start(Double.parseDouble(args[1]));
    SslContext ctx = tls ? Tls.nettyServer(Pki.load()) : null;
    EventLoopGroup group = new NioEventLoopGroup(1);
    Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            if (ctx != null) {
              c.pipeline().addLast(ctx.newHandler(c.alloc()));
            }
            c.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
                c.close();
              }
            });
          }
        }).bind("127.0.0.1", 0).sync().channel();
    System.out.println("PORT " + ((InetSocketAddress) server.localAddress()).getPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold the connections until the parent goes
    }
    Runtime.getRuntime().halt(0);
  }
}
