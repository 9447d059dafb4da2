package org.sockscript.websocket;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.sockscript.Chunk;
import org.sockscript.SocketEofException;
import org.sockscript.SocketRegistry;
import org.sockscript.internal.Args;
import org.sockscript.internal.PeerText;

/**
 * A WebSocket client (RFC 6455) made of registry verbs, as a script would make it: {@code ws://}
 * over {@code open}, {@code wss://} over {@code openSecure} with the registry's verification
 * settings (the URL's host is the name the certificate must carry), the Upgrade handshake with
 * its {@code Sec-WebSocket-Accept} checked, masked client frames, text and binary messages
 * (fragments joined), pings answered, and the close handshake.
 *
 * <pre>{@code
 * WebSocket ws = WebSocket.connect(sockets, "wss://echo.example/chat");
 * ws.sendText("hello");
 * System.out.println(ws.receive().text());
 * ws.close(1000, "bye");
 * }</pre>
 *
 * <p><b>Limits and timeouts.</b> A frame, and a message in total, may be as long as the
 * registry's {@link SocketRegistry#inboundLimit() inbound limit}. {@link #receive()} waiting at a
 * message boundary for longer than the socket timeout interval throws
 * {@link SocketTimeoutException} and the WebSocket stays usable; a server that stalls in the
 * middle of a frame fails it. <b>Errors.</b> Every violation of the protocol by the server is a
 * {@link WebSocketProtocolException} naming what was expected and what came; the WebSocket sends
 * the matching close code and is closed. <b>Threads.</b> One thread may receive while others
 * send; each frame is one registry write, so frames never interleave.
 */
public final class WebSocket implements AutoCloseable {

  private final SocketRegistry sockets;
  private final WebSocketUrl url;
  private final String name;
  private final SecureRandom random = new SecureRandom();
  private final ReentrantLock reading = new ReentrantLock();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final MessageReader reader;
  private volatile Consumer<String> wireLog = line -> { };
  private volatile boolean closeSent;
  private volatile IOException end;
  private boolean midFrame;

  private WebSocket(SocketRegistry sockets, WebSocketUrl url, String name) {
    this.sockets = sockets;
    this.url = url;
    this.name = name;
    FrameSource source = new FrameSource() {
      @Override
      public byte[] read(int n) throws IOException {
        byte[] bytes = sockets.readBytes(name, Chunk.bytes(n)); // a timeout here takes nothing
        midFrame = true;
        return bytes;
      }

      @Override
      public void frameDone() {
        midFrame = false;
      }
    };
    this.reader = new MessageReader(source, sockets.inboundLimit(), new MessageReader.Control() {
      @Override
      public void ping(byte[] payload) throws IOException {
        log("← ping " + payload.length + " bytes");
        send(Frame.PONG, payload, "pong " + payload.length + " bytes");
      }

      @Override
      public void pong(byte[] payload) {
        log("← pong " + payload.length + " bytes");
      }
    });
  }

  /**
   * Opens the socket ({@code host:port|ws}, or {@code |ws-2}... if that name is taken) and runs the
   * Upgrade handshake; returns when the WebSocket is open. Example: {@code WebSocket.connect(sockets, "ws://127.0.0.1:8080/")}
   *
   * @throws IllegalArgumentException if the URL is not {@code ws[s]://host[:port][/path][?query]}
   * @throws WebSocketProtocolException if the server does not answer 101 with the right accept key
   * @throws javax.net.ssl.SSLHandshakeException if the TLS handshake of a {@code wss://} URL fails
   */
  public static WebSocket connect(SocketRegistry sockets, String url) throws IOException {
    return connect(sockets, url, null);
  }

  /** As {@link #connect(SocketRegistry, String)}, with {@code wireLog} (may be null) getting a line per frame, the handshake included. Example: {@code WebSocket.connect(sockets, url, System.out::println)} */
  public static WebSocket connect(SocketRegistry sockets, String url, Consumer<String> wireLog)
      throws IOException {
    Args.notNull(sockets, "sockets");
    WebSocketUrl parsed = WebSocketUrl.parse(url);
    String name = open(sockets, parsed);
    boolean open = false;
    try {
      WebSocket ws = new WebSocket(sockets, parsed, name);
      if (wireLog != null) {
        ws.wireLog = wireLog;
      }
      ws.handshake();
      open = true;
      return ws;
    } finally {
      if (!open) {
        sockets.close(name);
      }
    }
  }

  private static String open(SocketRegistry sockets, WebSocketUrl url) throws IOException {
    for (int n = 1; ; n++) {
      String name = url.socketName(n == 1 ? "ws" : "ws-" + n);
      try {
        if (url.secure()) {
          sockets.openSecure(name, true, url.verificationHost());
        } else {
          sockets.open(name);
        }
        return name;
      } catch (IllegalStateException taken) {
        if (n >= 1000 || !String.valueOf(taken.getMessage()).startsWith("socket is already open")) {
          throw taken;
        }
      }
    }
  }

  private void handshake() throws IOException {
    String key = Handshake.newKey(random);
    byte[] request = Handshake.request(url, key);
    log("→ " + new String(request, StandardCharsets.US_ASCII).split("\r\n")[0] + " (Upgrade: websocket)");
    sockets.write(name, request);
    byte[] head = sockets.readBytes(name, Chunk.until("\r\n\r\n"));
    String text = new String(head, StandardCharsets.ISO_8859_1);
    log("← " + text.split("\r\n")[0]);
    Handshake.check(text, key, url.url());
  }

  /** The registry's name of the socket under this WebSocket. Example: {@code sockets.tlsInfo(ws.socketName())} */
  public String socketName() {
    return name;
  }

  /** The URL this WebSocket was opened with. Example: {@code ws.url()} */
  public String url() {
    return url.url();
  }

  /** Sets where a line per frame goes (null: nowhere), e.g. {@code ← text 0{"sid":...}}. Example: {@code ws.setWireLog(System.out::println);} */
  public void setWireLog(Consumer<String> wireLog) {
    this.wireLog = wireLog == null ? line -> { } : wireLog;
  }

  /** Sends a text message (one frame). Example: {@code ws.sendText("hello");} */
  public void sendText(String text) throws IOException {
    Args.notNull(text, "text");
    send(Frame.TEXT, text.getBytes(StandardCharsets.UTF_8), "text " + PeerText.shorten(text));
  }

  /** Sends a binary message (one frame). Example: {@code ws.sendBinary(new byte[] {1, 2, 3});} */
  public void sendBinary(byte[] data) throws IOException {
    Args.notNull(data, "data");
    send(Frame.BINARY, data.clone(), "binary " + data.length + " bytes");
  }

  /** Sends a ping (at most 125 bytes); the server's pong shows in the wire log. Example: {@code ws.ping(new byte[0]);} */
  public void ping(byte[] payload) throws IOException {
    if (Args.notNull(payload, "payload").length > 125) {
      throw new IllegalArgumentException("a ping payload must be 0 to 125 bytes, was " + payload.length + " bytes");
    }
    send(Frame.PING, payload.clone(), "ping " + payload.length + " bytes");
  }

  private void send(int opcode, byte[] payload, String logLine) throws IOException {
    IOException failure = end;
    if (failure != null) {
      throw failure;
    }
    if (closeSent && opcode != Frame.CLOSE) { // closing, by either side: a network state, not a misuse
      throw new WebSocketClosedException(url.url(), 1000, "closing: nothing more may be sent");
    }
    log("→ " + logLine);
    sockets.write(name, FrameWriter.encode(opcode, payload, random));
  }

  /**
   * Waits for the next whole message, answering pings meanwhile. Example: {@code String t = ws.receive().text();}
   *
   * @throws WebSocketClosedException once the server has closed (its status code and reason attached)
   * @throws WebSocketProtocolException if the server broke the protocol (the WebSocket is then closed)
   * @throws SocketTimeoutException if no message began within the socket timeout interval
   */
  public WebSocketMessage receive() throws IOException {
    reading.lock();
    try {
      while (true) {
        if (end != null) {
          throw end;
        }
        Object next = readNext();
        if (next instanceof WebSocketMessage message) {
          log("← " + message);
          return message;
        }
        MessageReader.Close close = (MessageReader.Close) next;
        log("← close " + close.code() + (close.reason().isEmpty() ? "" : " " + PeerText.shorten(close.reason())));
        if (!closeSent) {
          sendClose(close.code() == 1005 ? -1 : close.code(), close.reason()); // echo it (RFC 6455 5.5.1)
        }
        finish(new WebSocketClosedException(url.url(), close.code(), close.reason()));
      }
    } finally {
      reading.unlock();
    }
  }

  private Object readNext() throws IOException {
    try {
      return reader.next();
    } catch (SocketTimeoutException idle) {
      if (!midFrame) {
        throw idle; // nothing of a frame was taken: the WebSocket is intact
      }
      throw fail(new SocketTimeoutException("timeout in the middle of a WebSocket frame from " + url.url()
          + ": the WebSocket is closed (" + idle.getMessage() + ")"));
    } catch (SocketEofException eof) {
      throw fail(new WebSocketClosedException(url.url(), 1006,
          "the server closed the connection without a close frame"));
    } catch (WebSocketProtocolException violation) {
      if (!closeSent && violation.closeCode() > 0) {
        sendClose(violation.closeCode(), "");
      }
      throw fail(violation);
    } catch (IOException | IllegalStateException other) { // IllegalState: closed by another thread
      IOException failure = end != null ? end : other instanceof IOException io ? io
          : new IOException(url.url() + ": " + other.getMessage(), other);
      throw fail(failure);
    }
  }

  /** Queues a close frame without waiting for it to be written; the socket's close flushes it. */
  private void sendClose(int code, String reason) {
    closeSent = true;
    byte[] payload = closePayload(code, reason);
    log("→ close" + (code < 0 ? "" : " " + code + (reason.isEmpty() ? "" : " " + PeerText.shorten(reason))));
    try {
      sockets.write(name, FrameWriter.encode(Frame.CLOSE, payload, random), null);
    } catch (RuntimeException gone) { // the socket failed meanwhile: nothing to tell the server
      log("  (close frame not sent: " + gone.getMessage() + ")");
    }
  }

  private static byte[] closePayload(int code, String reason) {
    if (code < 0) {
      return new byte[0];
    }
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[2 + text.length];
    payload[0] = (byte) (code >>> 8);
    payload[1] = (byte) code;
    System.arraycopy(text, 0, payload, 2, text.length);
    return payload;
  }

  private IOException fail(IOException failure) {
    finish(failure);
    return end;
  }

  private synchronized void finish(IOException failure) {
    if (end == null) {
      end = failure;
      sockets.close(name);
      ended.countDown();
    }
  }

  /** True until the WebSocket is closed, by either side or by a failure. Example: {@code while (ws.isOpen()) ...} */
  public boolean isOpen() {
    return end == null;
  }

  /**
   * Starts the close handshake with {@code code} and {@code reason}, waits (at most the socket
   * timeout interval) for the server's close frame, then closes the socket. Messages that arrive
   * meanwhile are dropped. Does nothing if already closed. Example: {@code ws.close(1000, "bye");}
   *
   * @throws IllegalArgumentException if the reason is null, or the code is not one a client may send (1000-1003, 1007-1014, 3000-4999) or the reason is over 123 bytes
   */
  public void close(int code, String reason) {
    Args.notNull(reason, "reason");
    boolean sendable = code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    if (!sendable || reason.getBytes(StandardCharsets.UTF_8).length > 123) {
      throw new IllegalArgumentException("close(" + code + ", \"" + reason + "\""
          + "): expected a code of 1000-1003, 1007-1014 or 3000-4999 and a reason of at most 123 UTF-8 bytes");
    }
    if (end != null) {
      return;
    }
    synchronized (this) {
      if (closeSent) {
        return;
      }
      sendClose(code, reason);
    }
    awaitServerClose();
    finish(new WebSocketClosedException(url.url(), code, reason));
  }

  /**
   * Closes the socket at once, without the close handshake (for a server that stopped answering);
   * a thread in {@link #receive()} gets a {@link WebSocketClosedException} with status 1006.
   * Example: {@code ws.abort();}
   */
  public void abort() {
    finish(new WebSocketClosedException(url.url(), 1006, "aborted by this client"));
  }

  /** {@code close(1000, "")}. Example: {@code try (WebSocket ws = WebSocket.connect(sockets, url)) { ... }} */
  @Override
  public void close() {
    close(1000, "");
  }

  private void awaitServerClose() {
    long waitMillis = sockets.socketTimeoutInterval().toMillis();
    try {
      if (reading.tryLock()) { // nobody is reading: read up to the server's close ourselves
        try {
          long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
          while (end == null && System.nanoTime() < deadline) {
            if (readNext() instanceof MessageReader.Close) {
              break; // the server's answer (messages before it are dropped)
            }
          }
        } finally {
          reading.unlock();
        }
      } else {
        ended.await(waitMillis, TimeUnit.MILLISECONDS); // the reader meets the server's close
      }
    } catch (IOException | RuntimeException done) {
      // the server's close, a timeout or a failure: in every case the socket closes now
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void log(String line) {
    try {
      wireLog.accept(line);
    } catch (RuntimeException e) {
      // a failing log must not break the conversation
    }
  }
}
