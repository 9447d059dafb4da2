package org.sockscript.bench;

import io.netty.channel.socket.SocketChannel;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.sockscript.Chunk;
import org.sockscript.SocketListener;
import org.sockscript.SocketRegistry;

/**
 * Bulk throughput of one connection, 64 KiB writes, one variant per process (so the process's
 * peak RSS belongs to that variant). Each end is the same kind as the other: sockscript to
 * sockscript, Netty to Netty, NIO to NIO, SSLSocket to SSLServerSocket. A transfer is an 8-byte
 * length, that many bytes, and a 1-byte acknowledgement; the clock runs from the first byte
 * written (after connect and handshake) to the acknowledgement read.
 *
 * <p>{@code Throughput <variant> <maxBytes> <maxSeconds> <warmupBytes>}: a warm-up transfer sizes
 * the measured one to {@code min(maxBytes, rate x maxSeconds)}.
 */
public final class Throughput {

  static final int WRITE = 64 * 1024;

  interface Pair extends AutoCloseable {
    /** Connects (and handshakes), then sends {@code n} bytes; returns the nanos the transfer took. */
    long transfer(long n) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String variant = args[0];
    long maxBytes = Long.parseLong(args[1]);
    double maxSeconds = Double.parseDouble(args[2]);
    long warmup = Long.parseLong(args[3]);
    Watchdog.start(maxSeconds * 4 + 60);
    Pki pki = Pki.load();
    try (Pair pair = pair(variant, pki)) {
      long t = pair.transfer(warmup);
      double rate = warmup / (t / 1e9);
      long n = Math.max(warmup, Math.min(maxBytes, (long) (rate * maxSeconds)));
      n = n / WRITE * WRITE;
      long cpu0 = Util.cpuNanos();
      long nanos = pair.transfer(n);
      long cpu = Util.cpuNanos() - cpu0;
      Util.result("mib_s", n / 1048576.0 / (nanos / 1e9));
      Util.result("cpu_s_per_gib", cpu / 1e9 / (n / 1073741824.0));
      Util.result("mib", n / 1048576.0);
    }
    Util.result("hwm_mib", Util.status("VmHWM") / 1024.0);
    System.exit(0);
  }

  static Pair pair(String variant, Pki pki) throws Exception {
    switch (variant) {
      case "plain-nio": return new NioPair();
      case "plain-sockscript": return new SockscriptPair(pki, false, false, false);
      case "tls-sockscript": return new SockscriptPair(pki, true, false, false);
      case "plain-sockscript-into": return new SockscriptPair(pki, false, true, false);
      case "tls-sockscript-into": return new SockscriptPair(pki, true, true, false);
      case "plain-sockscript-script": return new SockscriptPair(pki, false, false, true);
      case "tls-sockscript-script": return new SockscriptPair(pki, true, false, true);
      case "plain-netty": return new NettyThroughputPair(pki, false);
      case "tls-netty": return new NettyThroughputPair(pki, true);
      case "tls-jdk": return new JdkPair(pki);
      default: throw new IllegalArgumentException("unknown variant " + variant);
    }
  }

  static byte[] header(long n) {
    return ByteBuffer.allocate(8).putLong(n).array();
  }

  // ---- raw NIO: blocking SocketChannels, direct buffers (the plain ceiling) -------------------

  static final class NioPair implements Pair {
    final ServerSocketChannel server = ServerSocketChannel.open();
    final Thread sink;

    NioPair() throws Exception {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      sink = new Thread(this::serve, "nio-sink");
      sink.setDaemon(true);
      sink.start();
    }

    private void serve() {
      ByteBuffer buf = ByteBuffer.allocateDirect(WRITE);
      while (server.isOpen()) {
        try (java.nio.channels.SocketChannel ch = server.accept()) {
          buf.clear().limit(8);
          while (buf.hasRemaining() && ch.read(buf) >= 0) {
            // header
          }
          long left = buf.getLong(0);
          while (left > 0) {
            buf.clear().limit((int) Math.min(WRITE, left));
            int r = ch.read(buf);
            if (r < 0) {
              break;
            }
            left -= r;
          }
          ch.write(ByteBuffer.wrap(new byte[] {1}));
          buf.clear().limit(1);
          ch.read(buf); // until the client closes
        } catch (Exception e) {
          if (server.isOpen()) {
            e.printStackTrace();
          }
        }
      }
    }

    @Override
    public long transfer(long n) throws Exception {
      try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(server.getLocalAddress())) {
        ByteBuffer data = ByteBuffer.allocateDirect(WRITE);
        data.put(Util.ascii(WRITE));
        long t0 = System.nanoTime();
        ByteBuffer h = ByteBuffer.wrap(header(n));
        while (h.hasRemaining()) {
          ch.write(h);
        }
        for (long left = n; left > 0; left -= WRITE) {
          data.clear();
          while (data.hasRemaining()) {
            ch.write(data);
          }
        }
        ByteBuffer ack = ByteBuffer.allocate(1);
        if (ch.read(ack) != 1) {
          throw new IllegalStateException("no acknowledgement");
        }
        return System.nanoTime() - t0;
      }
    }

    @Override
    public void close() throws Exception {
      server.close();
    }
  }

  // ---- sockscript to sockscript: callback (queued) writes, a blocking reader ----------------
  // "-into": the reader reads into one reused array (readBytes(socket, into, offset, length)),
  // allocating nothing; the queued writes' copies go to pooled direct buffers either way.

  static final boolean BLOCKING_WRITES = Boolean.getBoolean("bench.blockingWrites");

  static final class SockscriptPair implements Pair {
    final boolean tls;
    final boolean into;
    /** As a script writes it: blocking {@code write(name, bytes)} sender, callback-read receiver. */
    final boolean script;
    final SocketRegistry server;
    final SocketRegistry client;
    final String port;
    final AtomicInteger ids = new AtomicInteger();

    SockscriptPair(Pki pki, boolean tls, boolean into, boolean script) throws Exception {
      this.tls = tls;
      this.into = into;
      this.script = script;
      server = Tls.sockscriptServer(pki);
      client = Tls.sockscriptClient(pki);
      // For experiments only (bench/run leaves the library's defaults): -Dbench.inboundLimit=N,
      // -Dbench.writeQueueLimit=N set both registries' limits.
      Integer inbound = Integer.getInteger("bench.inboundLimit");
      Integer queue = Integer.getInteger("bench.writeQueueLimit");
      for (SocketRegistry r : new SocketRegistry[] {server, client}) {
        if (inbound != null) {
          r.setInboundLimit(inbound);
        }
        if (queue != null) {
          r.setWriteQueueLimit(queue);
        }
      }
      port = server.accept(0, new SocketListener() {
        @Override
        public void newConnection(String socket, String listener) {
          if (script) {
            server.setCharset(socket, java.nio.charset.StandardCharsets.ISO_8859_1); // a char per byte
            server.read(socket, Chunk.bytes(8), (s, header) ->
                callbackSink(s, ByteBuffer.wrap(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).getLong()));
            return;
          }
          Thread t = new Thread(() -> sink(socket), "sockscript-sink");
          t.setDaemon(true);
          t.start();
        }

        @Override
        public void socketClosed(String socket) {
          server.close(socket);
        }
      }, tls);
    }

    /** What a script would write: read the length, then the bytes in 64 KiB chunks, then ack. */
    private void sink(String socket) {
      try {
        long left = ByteBuffer.wrap(server.readBytes(socket, Chunk.bytes(8))).getLong();
        byte[] buffer = new byte[WRITE];
        while (left > 0) {
          int want = (int) Math.min(WRITE, left);
          left -= into ? server.readBytes(socket, buffer, 0, want)
              : server.readBytes(socket, Chunk.bytes(want)).length;
        }
        server.write(socket, new byte[] {1});
      } catch (Exception e) {
        e.printStackTrace();
      }
    }

    /** The receiver a script would write with callbacks: each chunk's callback asks for the next. */
    private void callbackSink(String socket, long left) {
      if (left == 0) {
        server.write(socket, new byte[] {1}, null);
        return;
      }
      server.read(socket, Chunk.bytes((int) Math.min(WRITE, left)), (s, chunk) -> callbackSink(s, left - chunk.length()));
    }

    @Override
    public long transfer(long n) throws Exception {
      String name = "127.0.0.1:" + port + "|t" + ids.incrementAndGet();
      if (tls) {
        client.openSecure(name, true, Pki.HOST);
        Tls.check("sockscript", client.tlsInfo(name));
      } else {
        client.open(name);
      }
      byte[] data = Util.ascii(WRITE);
      long t0 = System.nanoTime();
      client.write(name, header(n), null);
      for (long left = n; left > 0; left -= WRITE) {
        if (script) {
          client.write(name, data); // blocking, a fresh array's worth each time, as a script writes
        } else if (BLOCKING_WRITES) {
          client.write(name, data, 0, WRITE); // experiments: -Dbench.blockingWrites=true
        } else {
          client.write(name, data, null); // queued; waits only while the queue is over its limit
        }
      }
      client.readBytes(name, Chunk.bytes(1));
      long t = System.nanoTime() - t0;
      client.close(name);
      return t;
    }

    @Override
    public void close() {
      client.close();
      server.close();
    }
  }

  // ---- the JDK's SSLSocket to SSLServerSocket (SunJSSE) -------------------------------------

  static final class JdkPair implements Pair {
    final SSLServerSocket server;
    final SSLContext clientContext;

    JdkPair(Pki pki) throws Exception {
      server = (SSLServerSocket) Tls.jdkServerContext(pki).getServerSocketFactory()
          .createServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
      Tls.configure(server);
      clientContext = Tls.jdkClientContext(pki);
      Thread t = new Thread(() -> serve(server), "jdk-sink");
      t.setDaemon(true);
      t.start();
    }

    private static void serve(ServerSocket server) {
      byte[] buf = new byte[WRITE];
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          DataInputStream in = new DataInputStream(s.getInputStream());
          long left = in.readLong();
          while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(WRITE, left));
            if (r < 0) {
              break;
            }
            left -= r;
          }
          s.getOutputStream().write(1);
          s.getOutputStream().flush();
          in.read(); // until the client closes
        } catch (Exception e) {
          if (!server.isClosed()) {
            e.printStackTrace();
          }
        }
      }
    }

    @Override
    public long transfer(long n) throws Exception {
      try (Socket plain = new Socket("127.0.0.1", server.getLocalPort());
          SSLSocket s = Tls.jdkClient(clientContext, plain)) {
        s.startHandshake();
        Tls.check("jdk", s.getSession());
        byte[] data = Util.ascii(WRITE);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        long t0 = System.nanoTime();
        out.write(header(n));
        for (long left = n; left > 0; left -= WRITE) {
          out.write(data);
        }
        out.flush();
        if (in.read() != 1) {
          throw new IllegalStateException("no acknowledgement");
        }
        return System.nanoTime() - t0;
      }
    }

    @Override
    public void close() throws Exception {
      server.close();
    }
  }
}
