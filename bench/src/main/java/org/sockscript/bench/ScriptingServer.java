package org.sockscript.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.sockscript.Chunk;
import org.sockscript.SocketEofException;
import org.sockscript.SocketListener;
import org.sockscript.SocketRegistry;

/**
 * A server under many clients: {@code CLIENTS} blocking clients at once, each sending 64 bytes and
 * waiting for them to come back, against a Netty echo server (the reference), a sockscript server
 * written the way sample 01 writes one (a blocking read loop in {@code newConnection}, served at
 * once thanks to listener turns) and a callback-style sockscript server. Plain TCP, one JVM,
 * variants rotated within each round.
 *
 * <p>{@code ScriptingServer <rounds> <clients> <warmupSeconds> <seconds>}; prints
 * {@code RESULT srv.<variant>.rt_per_s#<round>}: round trips per second, all clients together.
 */
public final class ScriptingServer {

  static final List<String> VARIANTS = List.of("netty", "sockscript-blocking", "sockscript-callback");
  private static final int SIZE = 64;

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    int clients = Integer.parseInt(args[1]);
    double warmup = Double.parseDouble(args[2]);
    double seconds = Double.parseDouble(args[3]);
    Watchdog.start(rounds * VARIANTS.size() * (warmup + seconds + 10) + 120);
    EventLoopGroup netty = new NioEventLoopGroup(1);
    int nettyPort = PingPong.nettyEcho(netty, null);
    SocketRegistry blocking = new SocketRegistry();
    int blockingPort = Integer.parseInt(blocking.accept(0, scriptStyle(blocking)));
    SocketRegistry callback = new SocketRegistry();
    int callbackPort = Integer.parseInt(callback.accept(0, callbackStyle(callback)));
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < VARIANTS.size(); k++) {
        int v = (k + r) % VARIANTS.size();
        int port = v == 0 ? nettyPort : v == 1 ? blockingPort : callbackPort;
        double perSecond = load(port, clients, warmup, seconds);
        Util.result("srv." + VARIANTS.get(v) + ".rt_per_s#" + r, perSecond);
        Util.log("round %d %-22s %d clients: %.0f round trips/s", r, VARIANTS.get(v), clients, perSecond);
      }
    }
    System.exit(0);
  }

  /** Sample 01's server: a blocking read loop per connection, inside newConnection. */
  static SocketListener scriptStyle(SocketRegistry sockets) {
    return new SocketListener() {
      @Override
      public void newConnection(String socket, String listener) {
        try {
          while (true) {
            sockets.write(socket, sockets.readBytes(socket, Chunk.bytes(SIZE)));
          }
        } catch (SocketEofException clientLeft) {
          sockets.close(socket);
        } catch (Exception e) {
          Util.log("blocking server: %s", e);
        }
      }
    };
  }

  /** The same server in callbacks: each request's callback writes the answer and asks for the next. */
  static SocketListener callbackStyle(SocketRegistry sockets) {
    return new SocketListener() {
      @Override
      public void newConnection(String socket, String listener) {
        next(socket);
      }

      @Override
      public void socketClosed(String socket) {
        sockets.close(socket);
      }

      private void next(String socket) {
        try {
          sockets.read(socket, Chunk.bytes(SIZE), (s, request) -> {
            sockets.write(s, request, null);
            next(s);
          });
        } catch (RuntimeException clientLeft) {
          // it hung up between two requests
        }
      }
    };
  }

  /** {@code clients} threads doing round trips against {@code port}; round trips/s after the warm-up. */
  static double load(int port, int clients, double warmup, double seconds) throws Exception {
    LongAdder trips = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Thread t = new Thread(() -> roundTrips(port, trips, stop), "srv-client-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    Thread.sleep((long) (warmup * 1000));
    long t0 = System.nanoTime();
    trips.reset();
    Thread.sleep((long) (seconds * 1000));
    double perSecond = trips.sum() / ((System.nanoTime() - t0) / 1e9);
    stop.set(true);
    for (Thread t : threads) {
      t.join(10_000);
    }
    return perSecond;
  }

  private static void roundTrips(int port, LongAdder trips, AtomicBoolean stop) {
    byte[] request = Util.ascii(SIZE);
    byte[] reply = new byte[SIZE];
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      while (!stop.get()) {
        out.write(request);
        for (int got = 0; got < SIZE; ) {
          int n = in.read(reply, got, SIZE - got);
          if (n < 0) {
            throw new java.io.EOFException("the server closed");
          }
          got += n;
        }
        trips.increment();
      }
    } catch (Exception e) {
      Util.log("client on %d: %s", port, e);
    }
  }
}
