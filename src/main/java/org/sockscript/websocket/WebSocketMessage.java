package org.sockscript.websocket;

import java.nio.charset.StandardCharsets;
import org.sockscript.internal.PeerText;

/**
 * One whole message from the server (its fragments joined): text or binary. Immutable.
 *
 * <pre>{@code
 * WebSocketMessage m = ws.receive();
 * if (m.isText()) System.out.println(m.text()); else save(m.bytes());
 * }</pre>
 */
public final class WebSocketMessage {

  private final boolean text;
  private final byte[] bytes;

  WebSocketMessage(boolean text, byte[] bytes) {
    this.text = text;
    this.bytes = bytes;
  }

  /** True for a text message, false for binary. Example: {@code if (m.isText()) ...} */
  public boolean isText() {
    return text;
  }

  /**
   * The text of a text message. Example: {@code String json = ws.receive().text();}
   *
   * @throws IllegalStateException if the message is binary
   */
  public String text() {
    if (!text) {
      throw new IllegalStateException("a binary message of " + bytes.length + " bytes has no text; use bytes()");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The payload (UTF-8 for a text message), a copy. Example: {@code byte[] b = m.bytes();} */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The payload's length in bytes. Example: {@code m.length()} */
  public int length() {
    return bytes.length;
  }

  /** {@code text "..."} or {@code binary N bytes}, shortened. Example: {@code System.out.println(m);} */
  @Override
  public String toString() {
    return text ? "text " + PeerText.shorten(text()) : "binary " + bytes.length + " bytes";
  }
}
