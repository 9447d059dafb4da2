package org.sockscript.push;

/**
 * A message the server pushed: its id, and the header and body the sender gave, decoded from
 * base64. Immutable (the arrays are copies).
 *
 * <pre>{@code
 * client.onMessage(m -> System.out.println(m.id() + ": " + new String(m.body(), UTF_8)));
 * }</pre>
 */
public final class PushMessage {

  private final String id;
  private final byte[] header;
  private final byte[] body;

  PushMessage(String id, byte[] header, byte[] body) {
    this.id = id;
    this.header = header;
    this.body = body;
  }

  /** The message id, acknowledged as {@code messageId}. Example: {@code m.id()} */
  public String id() {
    return id;
  }

  /** The header bytes. Example: {@code new String(m.header(), UTF_8)} */
  public byte[] header() {
    return header.clone();
  }

  /** The body bytes. Example: {@code Files.write(path, m.body())} */
  public byte[] body() {
    return body.clone();
  }

  /** {@code PushMessage[id, header N bytes, body M bytes]}. Example: {@code System.out.println(m);} */
  @Override
  public String toString() {
    return "PushMessage[" + id + ", header " + header.length + " bytes, body " + body.length + " bytes]";
  }
}
