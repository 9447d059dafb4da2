package org.sockscript.websocket;

import java.io.EOFException;

/**
 * The WebSocket is closed: the server sent a close frame (its status code and reason are here),
 * or this side closed it. What {@link WebSocket#receive()} throws at the end of the conversation,
 * as a socket read throws {@code eof}.
 *
 * <pre>{@code
 * try { ws.receive(); } catch (WebSocketClosedException e) { System.out.println(e.code() + " " + e.reason()); }
 * }</pre>
 */
public class WebSocketClosedException extends EOFException {

  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;

  /** Example: {@code new WebSocketClosedException("wss://h/", 1000, "bye")} */
  public WebSocketClosedException(String url, int code, String reason) {
    super("the WebSocket " + url + " is closed: status " + (code == 1005 ? "1005 (none given)" : code)
        + (reason.isEmpty() ? "" : " \"" + reason + "\""));
    this.code = code;
    this.reason = reason;
  }

  /** The status code of the close frame (1005 when the frame carried none). Example: {@code e.code()} gives {@code 1000}. */
  public int code() {
    return code;
  }

  /** The reason text of the close frame, maybe empty. Example: {@code e.reason()} */
  public String reason() {
    return reason;
  }
}
