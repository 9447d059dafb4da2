package org.sockscript.websocket;

import java.io.IOException;

/**
 * The server broke RFC 6455 (or the HTTP upgrade failed): a bad {@code Sec-WebSocket-Accept}, a
 * masked frame, reserved bits, an oversized frame, a status other than 101, invalid UTF-8, ... The
 * message says what was expected and what came; the connection is closed.
 *
 * <pre>{@code
 * try { ws.receive(); } catch (WebSocketProtocolException e) { System.out.println(e.getMessage()); }
 * }</pre>
 */
public class WebSocketProtocolException extends IOException {

  private static final long serialVersionUID = 1L;

  /** The close code this side sent for it (1002 protocol error, 1007 bad data, 1009 too big), or 0 when none was sent. */
  private final int closeCode;

  /** A violation without a close code (the handshake failed). Example: {@code new WebSocketProtocolException("...")} */
  public WebSocketProtocolException(String message) {
    this(message, 0);
  }

  /** A violation answered with {@code closeCode}. Example: {@code new WebSocketProtocolException("...", 1002)} */
  public WebSocketProtocolException(String message, int closeCode) {
    super(message);
    this.closeCode = closeCode;
  }

  /** The close code sent to the server for this violation, or 0 when none was. Example: {@code e.closeCode()} gives {@code 1002}. */
  public int closeCode() {
    return closeCode;
  }
}
