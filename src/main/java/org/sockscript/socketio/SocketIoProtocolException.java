package org.sockscript.socketio;

import java.io.IOException;

/**
 * The server broke the Engine.IO 4 or Socket.IO 5 protocol, or refused the connection
 * ({@code connect_error}): the message says what was expected and what came.
 *
 * <pre>{@code
 * try { io.connect(); } catch (SocketIoProtocolException e) { System.out.println(e.getMessage()); }
 * }</pre>
 */
public class SocketIoProtocolException extends IOException {

  private static final long serialVersionUID = 1L;

  /** Example: {@code new SocketIoProtocolException("unknown Engine.IO packet type '9'")} */
  public SocketIoProtocolException(String message) {
    super(message);
  }
}
