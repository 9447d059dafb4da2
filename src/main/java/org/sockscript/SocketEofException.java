package org.sockscript;

import java.io.EOFException;
import java.nio.charset.Charset;

/**
 * The peer closed the connection before a blocking read's chunk was complete (LiveCode's
 * {@code eof}). Carries the bytes that did arrive.
 *
 * <pre>{@code
 * try {
 *   line = sockets.read(s, Chunk.until("\r\n"));
 * } catch (SocketEofException e) {
 *   line = e.partialText();   // what came before the peer hung up, maybe ""
 * }
 * }</pre>
 */
public final class SocketEofException extends EOFException {

  private static final long serialVersionUID = 1L;

  private final transient byte[] partial;
  private final transient Charset charset;

  /**
   * Made by the library when a read meets the end of the stream.
   * Example: {@code new SocketEofException("h:25", Chunk.lines(1), bytes, UTF_8)}.
   */
  public SocketEofException(String socket, Chunk chunk, byte[] partial, Charset charset) {
    super("eof: " + socket + " was closed by the peer after " + partial.length
        + " byte(s) while reading " + chunk);
    this.partial = partial.clone();
    this.charset = charset;
  }

  /** The bytes that arrived before the end of the stream. Example: {@code e.partialBytes().length}. */
  public byte[] partialBytes() {
    return partial.clone();
  }

  /** The bytes that arrived, decoded in the socket's charset. Example: {@code e.partialText()}. */
  public String partialText() {
    return new String(partial, charset);
  }
}
