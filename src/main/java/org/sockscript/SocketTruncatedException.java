package org.sockscript;

import java.nio.charset.Charset;
import javax.net.ssl.SSLException;

/**
 * A TLS peer closed the TCP connection without a {@code close_notify}: the data may have been cut
 * short by anyone on the path, so a read that would otherwise report the end (an
 * {@link Chunk#untilEnd()} read, {@code eof}, {@code -1}) fails with this instead. The message is
 * the {@code socketError} reason, and says how many bytes of TLS data arrived in all; the bytes
 * this read had collected are kept for inspection, never to be trusted as complete.
 *
 * <pre>{@code
 * try {
 *   body = sockets.read(s, Chunk.untilEnd());
 * } catch (SocketTruncatedException e) {
 *   log("cut short after " + e.partialBytes().length + " bytes: " + e.getMessage());
 * }
 * }</pre>
 */
public final class SocketTruncatedException extends SSLException {

  private static final long serialVersionUID = 1L;

  private final transient byte[] partial;
  private final transient Charset charset;

  /**
   * Made by the library when a read meets a truncated TLS stream.
   * Example: {@code new SocketTruncatedException("truncated: ...", bytes, UTF_8)}.
   */
  public SocketTruncatedException(String message, byte[] partial, Charset charset) {
    super(message);
    this.partial = partial.clone();
    this.charset = charset;
  }

  /** The bytes this read had collected when the stream was cut. Example: {@code e.partialBytes().length}. */
  public byte[] partialBytes() {
    return partial.clone();
  }

  /** Those bytes, decoded in the socket's charset. Example: {@code e.partialText()}. */
  public String partialText() {
    return new String(partial, charset);
  }
}
