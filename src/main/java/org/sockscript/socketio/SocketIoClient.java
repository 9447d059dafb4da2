package org.sockscript.socketio;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.sockscript.SocketRegistry;
import org.sockscript.internal.Args;
import org.sockscript.websocket.WebSocket;
import org.sockscript.websocket.WebSocketMessage;

/**
 * A socket.io client on the default namespace, over Engine.IO 4's WebSocket transport (no HTTP
 * long-polling), made of {@link WebSocket} and so of registry verbs. Set the handlers, then
 * {@link #connect()}: it returns once the server has accepted the Socket.IO connection, so no
 * event can slip by before its handler is set. Events arrive on the client's own event thread,
 * one at a time, in order; {@code emit} sends one. One client, one session.
 *
 * <pre>{@code
 * SocketIoClient io = new SocketIoClient(sockets, "https://push.example.com");
 * io.on("authorized", args -> System.out.println("in"));
 * io.connect();
 * io.emit("authentication", credentials);                 // a JsonObject
 * io.close();
 * }</pre>
 *
 * <p><b>Liveness.</b> The server pings every {@code pingInterval} ms (from its open packet); the
 * client answers each at once, and when no ping has come for {@code pingInterval + pingTimeout}
 * ms it ends the session with {@code ping timeout} (a timer on the event thread; should a slow
 * handler hold that thread, the reader notices too, after the socket timeout interval idle). <b>Endings.</b> The
 * server's disconnect or close, a broken connection, a protocol error or a ping timeout end the
 * session once, with {@link #onDisconnect} told why; nothing reconnects by itself.
 */
public final class SocketIoClient implements AutoCloseable {

  private final SocketRegistry sockets;
  private final String url;
  private final Map<String, Consumer<JsonArray>> handlers = new ConcurrentHashMap<>();
  private volatile Consumer<IOException> onDisconnect = e -> { };
  private volatile Consumer<String> wireLog;
  private volatile WebSocket ws;
  private volatile EngineIoOpen open;
  private volatile String sid;
  private SessionThreads threads;
  private volatile long lastPingNanos = System.nanoTime();
  private volatile IOException ended;
  private volatile boolean closing;

  /**
   * A client of the socket.io server at {@code http(s)://} or {@code ws(s)://host[:port]} (the
   * path {@code /socket.io/} is added); nothing is opened until {@link #connect()}.
   * Example: {@code new SocketIoClient(sockets, "https://push.example.com")}
   *
   * @throws IllegalArgumentException if the URL names a namespace or is not http(s)/ws(s)
   */
  public SocketIoClient(SocketRegistry sockets, String url) {
    this.sockets = Args.notNull(sockets, "sockets");
    this.url = EngineIoUrl.of(url);
  }

  /** Sets where a line per WebSocket frame goes (null: nowhere), from {@link #connect()} on. Example: {@code io.setWireLog(System.out::println);} */
  public void setWireLog(Consumer<String> wireLog) {
    this.wireLog = wireLog;
  }

  /**
   * Opens the WebSocket, reads the Engine.IO open packet, sends the Socket.IO connect and returns
   * once the server accepts it. Example: {@code io.connect();}
   *
   * @throws SocketIoProtocolException on {@code connect_error} (with the server's message) or a protocol error
   * @throws IllegalStateException if this client has connected before
   */
  public synchronized void connect() throws IOException {
    if (ws != null) {
      throw new IllegalStateException("this socket.io client of " + url + " has connected before; make a new one");
    }
    WebSocket socket = WebSocket.connect(sockets, url, wireLog);
    ws = socket;
    boolean connected = false;
    try {
      open = EngineIoOpen.parse(expect(socket, EngineIoPacket.OPEN, "the Engine.IO open packet").data());
      socket.sendText(EngineIoPacket.MESSAGE + new SocketIoPacket(SocketIoPacket.CONNECT, "/", -1, null).encode());
      SocketIoPacket answer = SocketIoPacket.decode(expect(socket, EngineIoPacket.MESSAGE, "the Socket.IO connect answer").data());
      if (answer.type() == SocketIoPacket.CONNECT_ERROR) {
        throw new SocketIoProtocolException("the server refused the Socket.IO connection (connect_error): " + answer.errorMessage());
      }
      if (answer.type() != SocketIoPacket.CONNECT || !answer.namespace().equals("/")) {
        throw new SocketIoProtocolException("expected a Socket.IO connect packet for \"/\", was " + Wire.quote(answer.encode()));
      }
      com.google.gson.JsonElement given = answer.data() == null ? null : answer.data().getAsJsonObject().get("sid");
      sid = given != null && given.isJsonPrimitive() && given.getAsJsonPrimitive().isString() ? given.getAsString() : open.sid();
      threads = new SessionThreads(socket.socketName());
      pinged();
      threads.startReader(this::readLoop);
      connected = true;
    } catch (IOException | RuntimeException failed) {
      ended = failed instanceof IOException io ? io : new IOException(failed.toString(), failed);
      throw failed;
    } finally {
      if (!connected) {
        socket.abort();
      }
    }
  }

  /** The next Engine.IO packet, which must be of {@code type}; pings before it are answered. */
  private static EngineIoPacket expect(WebSocket ws, char type, String what) throws IOException {
    for (int pings = 0; pings < 16; pings++) {
      EngineIoPacket packet = EngineIoPacket.decode(text(ws.receive()));
      if (packet.type() == type) {
        return packet;
      }
      if (packet.type() != EngineIoPacket.PING) {
        throw new SocketIoProtocolException("expected " + what + ", was " + Wire.quote(packet.encode()));
      }
      ws.sendText(String.valueOf(EngineIoPacket.PONG));
    }
    throw new SocketIoProtocolException("expected " + what + ", was only pings");
  }

  private static String text(WebSocketMessage message) throws SocketIoProtocolException {
    if (!message.isText()) {
      throw new SocketIoProtocolException("a binary WebSocket message of " + message.length()
          + " bytes (this client speaks Engine.IO text packets only)");
    }
    return message.text();
  }

  /** The registry's name of the socket under the session. Example: {@code sockets.tlsInfo(io.socketName())} */
  public String socketName() {
    return connected().socketName();
  }

  private WebSocket connected() {
    WebSocket socket = ws;
    if (socket == null) {
      throw new IllegalStateException("this socket.io client of " + url + " is not connected: call connect() first");
    }
    return socket;
  }

  /** The Socket.IO session id the server gave. Example: {@code io.sid()} */
  public String sid() {
    connected();
    return sid;
  }

  /** The server's ping interval in milliseconds. Example: {@code io.pingIntervalMillis()} gives {@code 25000}. */
  public long pingIntervalMillis() {
    connected();
    return open.pingInterval();
  }

  /** The server's ping timeout in milliseconds. Example: {@code io.pingTimeoutMillis()} gives {@code 20000}. */
  public long pingTimeoutMillis() {
    connected();
    return open.pingTimeout();
  }

  /**
   * Sets the handler of event {@code name} (replacing any earlier one): it gets the event's
   * arguments, on the event thread; an exception it throws is logged. Events with no handler
   * are dropped. Example: {@code io.on("message", args -> System.out.println(args.get(0)));}
   */
  public void on(String name, Consumer<JsonArray> handler) {
    handlers.put(Args.notNull(name, "name"), Args.notNull(handler, "handler"));
  }

  /** Sets what hears, once, why the session ended, unless {@link #close()} ended it. Example: {@code io.onDisconnect(e -> System.out.println(e.getMessage()));} */
  public void onDisconnect(Consumer<IOException> handler) {
    onDisconnect = handler == null ? e -> { } : handler;
  }

  /**
   * Sends event {@code name} with {@code args}. Example: {@code io.emit("recieved", ack);}
   *
   * @throws IOException why the session ended, if it has
   * @throws IllegalArgumentException if the packet is over the server's {@code maxPayload} (UTF-8 bytes); nothing is sent
   */
  public void emit(String name, JsonElement... args) throws IOException {
    Args.notNull(name, "name");
    Args.notNull(args, "args");
    WebSocket socket = connected();
    IOException failure = ended;
    if (failure != null) {
      throw failure;
    }
    String packet = EngineIoPacket.MESSAGE + SocketIoPacket.event(name, args).encode();
    long bytes = packet.length() * 3L <= open.maxPayload() ? packet.length() // surely under: no count
        : packet.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;   // maxPayload counts bytes
    if (bytes > open.maxPayload()) {
      throw new IllegalArgumentException("event \"" + name + "\" is " + bytes
          + " bytes in UTF-8, over the server's maxPayload of " + open.maxPayload() + " bytes");
    }
    socket.sendText(packet);
  }

  /** The reason the session ended, or null while it lasts. Example: {@code if (io.disconnectReason() != null) ...} */
  public IOException disconnectReason() {
    return ended;
  }

  private void readLoop() {
    IOException why;
    try {
      while (true) {
        EngineIoPacket packet;
        try {
          packet = EngineIoPacket.decode(text(ws.receive()));
        } catch (SocketTimeoutException idle) {
          if (!ws.isOpen()) {
            throw idle; // it stalled mid-frame: the WebSocket is gone
          }
          checkPings();
          continue;
        }
        if (!handle(packet)) {
          return;
        }
      }
    } catch (IOException e) {
      why = ended != null ? ended : e;
    } catch (RuntimeException e) {
      why = new IOException(ws.url() + ": " + e, e);
    }
    end(why);
  }

  /** Handles one packet; false once the session is over. */
  private boolean handle(EngineIoPacket packet) throws IOException {
    switch (packet.type()) {
      case EngineIoPacket.PING -> {
        pinged();
        ws.sendText(String.valueOf(EngineIoPacket.PONG));
      }
      case EngineIoPacket.CLOSE -> throw new IOException("the server closed the Engine.IO session of " + ws.url());
      case EngineIoPacket.MESSAGE -> {
        SocketIoPacket p = SocketIoPacket.decode(packet.data());
        if (!p.namespace().equals("/")) {
          throw new SocketIoProtocolException("a packet for namespace " + p.namespace() + ", which this client did not join: "
              + Wire.quote(packet.data()));
        }
        switch (p.type()) {
          case SocketIoPacket.EVENT -> dispatch(p.eventName(), p.eventArgs());
          case SocketIoPacket.DISCONNECT -> throw new IOException("the server disconnected the Socket.IO session of " + ws.url());
          case SocketIoPacket.CONNECT_ERROR -> throw new SocketIoProtocolException("connect_error: " + p.errorMessage());
          default -> { } // an ack (this client asks for none), or a repeated connect: nothing to do
        }
      }
      case EngineIoPacket.PONG, EngineIoPacket.NOOP -> { }
      default -> throw new SocketIoProtocolException("an Engine.IO " + (packet.type() == EngineIoPacket.OPEN ? "open" : "upgrade")
          + " packet in the middle of the session: " + Wire.quote(packet.encode()));
    }
    return true;
  }

  /** A ping came (or the session began): the next must come within pingInterval + pingTimeout. */
  private void pinged() {
    lastPingNanos = System.nanoTime();
    threads.watchdog(open.pingInterval() + open.pingTimeout() + 5, () -> {
      try {
        checkPings();
      } catch (IOException timedOut) {
        end(timedOut); // the reader, waiting on the socket, is woken by the abort
      }
    });
  }

  private void checkPings() throws IOException {
    long quietMillis = (System.nanoTime() - lastPingNanos) / 1_000_000;
    if (quietMillis > open.pingInterval() + open.pingTimeout()) {
      throw new SocketTimeoutException("ping timeout: no Engine.IO ping from " + ws.url() + " for " + quietMillis
          + " ms (expected one every pingInterval " + open.pingInterval() + " ms, within pingTimeout "
          + open.pingTimeout() + " ms)");
    }
  }

  private void dispatch(String name, JsonArray args) {
    Consumer<JsonArray> handler = handlers.get(name);
    if (handler != null) {
      threads.event(() -> handler.accept(args), name);
    }
  }

  private void end(IOException why) {
    synchronized (this) {
      if (ended != null) {
        return;
      }
      ended = why;
    }
    ws.abort();
    if (!closing) {
      Consumer<IOException> listener = onDisconnect;
      threads.event(() -> listener.accept(why), "disconnect");
    }
    threads.shutdownAfterEvents();
  }

  /** Sends the Socket.IO disconnect and closes the WebSocket (close handshake); does nothing unless connected. Example: {@code io.close();} */
  @Override
  public void close() {
    closing = true;
    WebSocket socket = ws;
    if (socket == null || threads == null) {
      return; // never connected, or its connect failed: nothing is open
    }
    if (ended == null) {
      try {
        socket.sendText(EngineIoPacket.MESSAGE + new SocketIoPacket(SocketIoPacket.DISCONNECT, "/", -1, null).encode());
      } catch (IOException | RuntimeException gone) {
        // already broken: closing is all that is left
      }
      socket.close(1000, "");
    }
    end(new IOException("the Socket.IO session of " + url + " was closed by this client"));
  }
}
