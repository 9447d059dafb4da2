package org.sockscript.push;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sockscript.SocketRegistry;
import org.sockscript.internal.Args;
import org.sockscript.internal.PeerText;
import org.sockscript.socketio.SocketIoClient;

/**
 * A client of the push socket protocol: socket.io on the default namespace, the
 * {@code authentication} event with Ed25519 credentials, the {@code authorized} /
 * {@code not authorized} answer, pushed {@code message} events acknowledged with
 * {@code recieved} (the protocol's spelling) and {@code {messageId}}.
 *
 * <pre>{@code
 * PushClient push = new PushClient(sockets, "https://push.example.com", PushIdentity.generate(), "phone-1");
 * push.onMessage(m -> System.out.println(new String(m.body(), UTF_8)));
 * Authorization a = push.connect();          // retries once on "time", signing the server's time
 * System.out.println(a);                     // authorized
 * push.close();
 * }</pre>
 *
 * <p>Message handlers run on the session's event thread, one at a time; the acknowledgement is
 * sent after the handler returns (a handler that throws is logged and its message is not
 * acknowledged). A refused client's session is closed before {@link #connect()} returns; a
 * session that ends after {@code authorized} (the server's disconnect, even at once; the server
 * gone; a ping timeout) is reported to {@link #onDisconnect}, once. Nothing reconnects by
 * itself: call {@code connect()} again.
 */
public final class PushClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PushClient.class);

  private final SocketRegistry sockets;
  private final String url;
  private final PushIdentity identity;
  private final String deviceId;
  private volatile Consumer<PushMessage> onMessage = m -> { };
  private volatile Consumer<IOException> onDisconnect = e -> { };
  private volatile Consumer<String> wireLog;
  private volatile SocketIoClient session;

  /**
   * A client for the server at {@code url} ({@code https://host[:port]}, or {@code http://} without
   * TLS); nothing is opened until {@link #connect()}. Example: {@code new PushClient(sockets, "https://push.example.com", me, "phone-1")}
   *
   * @throws IllegalArgumentException if an argument is null (the device id is passed on unchanged otherwise)
   */
  public PushClient(SocketRegistry sockets, String url, PushIdentity identity, String deviceId) {
    this.sockets = Args.notNull(sockets, "sockets");
    this.url = Args.notNull(url, "url");
    this.identity = Args.notNull(identity, "identity");
    this.deviceId = Args.notNull(deviceId, "deviceId");
  }

  /** Sets the handler of pushed messages (replacing the last). Example: {@code push.onMessage(m -> save(m.body()));} */
  public void onMessage(Consumer<PushMessage> handler) {
    onMessage = handler == null ? m -> { } : handler;
  }

  /** Sets what hears why a connected session ended, unless {@link #close()} ended it. Example: {@code push.onDisconnect(e -> System.out.println(e.getMessage()));} */
  public void onDisconnect(Consumer<IOException> handler) {
    onDisconnect = handler == null ? e -> { } : handler;
  }

  /** Sets where a line per WebSocket frame goes (from the next connect), e.g. {@code → text 42["authentication",...]}. Example: {@code push.onWire(System.out::println);} */
  public void onWire(Consumer<String> wireLog) {
    this.wireLog = wireLog;
  }

  /**
   * Connects and authenticates with the current time; on {@code time}, signs the server's time
   * and tries once more. Returns the answer the server gave.
   * Example: {@code if (!push.connect().authorized()) ...}
   *
   * @throws IOException for a TLS, I/O or protocol failure, or no answer within the socket timeout interval
   * @throws IllegalStateException if already connected
   */
  public Authorization connect() throws IOException {
    if (session != null && session.disconnectReason() == null) {
      throw new IllegalStateException("the push client of " + url + " is already connected (" + session.socketName() + ")");
    }
    BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    SocketIoClient io = new SocketIoClient(sockets, url);
    io.setWireLog(wireLog);
    // Answers and the end run in order on the session's event thread: an end after "authorized"
    // (the server may disconnect at once) is the script's to hear; an end before it, connect()'s.
    AtomicBoolean handedOver = new AtomicBoolean();
    io.on("authorized", args -> {
      handedOver.set(true);
      answers.add(new Authorization(null, null, false));
    });
    io.on("not authorized", args -> answers.add(refusal(args)));
    io.on("message", args -> deliver(io, args));
    io.onDisconnect(e -> {
      if (handedOver.get()) {
        onDisconnect.accept(e); // the handler set at the time of the end
      } else {
        answers.add(e);
      }
    });
    boolean authorized = false;
    try {
      io.connect();
      Authorization first = authenticate(io, answers, System.currentTimeMillis() / 1000);
      Authorization answer = first;
      if (Authorization.TIME.equals(first.reason()) && first.serverTime().isPresent()) {
        long serverTime = first.serverTime().getAsLong();
        Authorization second = authenticate(io, answers, serverTime);
        answer = new Authorization(second.reason(),
            second.authorized() ? Long.valueOf(serverTime) : boxed(second), true);
      }
      authorized = answer.authorized();
      if (authorized) {
        session = io;
      }
      return answer;
    } finally {
      if (!authorized) {
        io.close(); // refused, or failed: nothing is left open
      }
    }
  }

  private Authorization authenticate(SocketIoClient io, BlockingQueue<Object> answers, long seconds)
      throws IOException {
    JsonObject credentials = new JsonObject();
    credentials.addProperty("username", identity.username(deviceId));
    credentials.addProperty("password", identity.password(seconds));
    io.emit("authentication", credentials);
    long millis = sockets.socketTimeoutInterval().toMillis();
    Object answer;
    try {
      answer = answers.poll(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted waiting for the answer to authentication");
    }
    if (answer == null) {
      throw new SocketTimeoutException("timeout: no answer to authentication from " + url + " within " + millis + " ms");
    }
    if (answer instanceof IOException ended) {
      throw new IOException("the session ended before the answer to authentication: " + ended.getMessage(), ended);
    }
    return (Authorization) answer;
  }

  private static Long boxed(Authorization a) {
    return a.serverTime().isPresent() ? a.serverTime().getAsLong() : null;
  }

  /** The {@code not authorized} data: {@code {message, serverTime?}}; anything else is a reason of its own text. */
  private static Authorization refusal(JsonArray args) {
    JsonElement data = args.isEmpty() ? null : args.get(0);
    if (data == null || !data.isJsonObject() || !PushJson.isString(data.getAsJsonObject().get("message"))) {
      return new Authorization("not authorized without a message: " + args, null, false);
    }
    JsonObject o = data.getAsJsonObject();
    return new Authorization(o.get("message").getAsString(), PushJson.wholeNumber(o.get("serverTime")), false);
  }

  private void deliver(SocketIoClient io, JsonArray args) {
    JsonElement data = args.isEmpty() ? null : args.get(0);
    PushMessage message;
    try {
      JsonObject o = data != null && data.isJsonObject() ? data.getAsJsonObject() : new JsonObject();
      if (o.get("id") == null || !o.get("id").isJsonPrimitive() || !PushJson.isString(o.get("header"))
          || !PushJson.isString(o.get("body"))) {
        throw new IllegalArgumentException("expected {id, header, body} with base64 strings");
      }
      message = new PushMessage(o.get("id").getAsString(), Base64.getDecoder().decode(o.get("header").getAsString()),
          Base64.getDecoder().decode(o.get("body").getAsString()));
    } catch (IllegalArgumentException bad) {
      log.warn("{}: a malformed message event, not acknowledged ({}): {}", io.socketName(), bad.getMessage(),
          PeerText.shorten(args.toString()));
      return;
    }
    onMessage.accept(message); // throws: logged by the session, and no acknowledgement
    JsonObject ack = new JsonObject();
    ack.add("messageId", data.getAsJsonObject().get("id").deepCopy());
    try {
      io.emit("recieved", ack);
    } catch (IOException gone) {
      log.info("{}: message {} handled, but the session ended before its acknowledgement: {}",
          io.socketName(), message.id(), gone.getMessage());
    }
  }

  /**
   * The registry's name of the socket, while connected. Example: {@code sockets.tlsInfo(push.socketName())}
   *
   * @throws IllegalStateException if not connected, or the session has ended (the message says why)
   */
  public String socketName() {
    SocketIoClient io = session;
    if (io == null) {
      throw new IllegalStateException("the push client of " + url + " is not connected");
    }
    IOException ended = io.disconnectReason();
    if (ended != null) {
      throw new IllegalStateException("the push client of " + url + " is not connected: its session ended ("
          + ended.getMessage() + ")");
    }
    return io.socketName();
  }

  /** Ends the session (Socket.IO disconnect and WebSocket close); does nothing if not connected. Example: {@code push.close();} */
  @Override
  public void close() {
    SocketIoClient io = session;
    session = null;
    if (io != null) {
      io.close();
    }
  }
}
