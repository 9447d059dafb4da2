package org.sockscript.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.sockscript.Chunk;

/** The I/O failures sockscript reports, worded with what was expected and what was seen. */
final class Failures {

  private static final String REGISTRY_CLOSED = "the registry is closed";

  private Failures() {}

  /** Every verb once the registry is closed; a listener that dies of it is no listener bug. */
  static IllegalStateException registryClosed() {
    return new IllegalStateException(REGISTRY_CLOSED);
  }

  static boolean isRegistryClosed(Throwable t) {
    return t instanceof IllegalStateException && REGISTRY_CLOSED.equals(t.getMessage());
  }

  static IOException io(String socket, IOException cause) {
    String what = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new IOException(socket + ": " + what, cause);
  }

  static IOException notOpen(String socket) {
    return new IOException("socket is not open: \"" + socket + "\"");
  }

  static IOException closedByPeer(String socket) {
    return new IOException("socket is not open: \"" + socket + "\" was closed by the peer");
  }

  static IOException closedByScript(String socket) {
    return new IOException("socket is not open: \"" + socket + "\" was closed while the call waited");
  }

  static IOException inboundLimit(String socket, Chunk chunk, int limit, int buffered) {
    return new IOException("read " + chunk + " on " + socket + " needs more than the inbound limit of "
        + limit + " bytes (" + buffered + " bytes buffered without completing it)");
  }

  /** A TLS stream cut without close_notify, after {@code bytes} bytes of TLS data had arrived. */
  static org.sockscript.SocketTruncatedException truncated(String socket, long bytes) {
    return new org.sockscript.SocketTruncatedException("truncated: " + socket + " was closed by the peer"
        + " without a TLS close_notify after " + bytes + " byte(s) of TLS data; the data may have been"
        + " cut short", new byte[0], java.nio.charset.StandardCharsets.UTF_8);
  }

  /** {@code truncation} for one read, with the bytes it had collected. */
  static org.sockscript.SocketTruncatedException truncated(IOException truncation, byte[] partial,
      java.nio.charset.Charset charset) {
    return new org.sockscript.SocketTruncatedException(truncation.getMessage(), partial, charset);
  }

  static SSLHandshakeException handshake(String socket, String reason) {
    return new SSLHandshakeException(reason + " (" + socket + ")");
  }

  static SSLHandshakeException handshake(String socket, String reason, Throwable cause) {
    SSLHandshakeException e = handshake(socket, reason);
    e.initCause(cause);
    return e;
  }

  static SocketTimeoutException readTimeout(String socket, Chunk chunk, long millis, int buffered) {
    return new SocketTimeoutException("timeout: no data for " + millis + " ms reading " + chunk
        + " from " + socket + " (" + buffered + " bytes buffered)");
  }

  static SocketTimeoutException writeTimeout(String socket, long millis, int left, int size) {
    return new SocketTimeoutException("timeout: the peer took no data for " + millis + " ms writing to "
        + socket + " (" + (size - left) + " of " + size + " bytes sent); the socket is closed");
  }

  /** The handshake's deadline passed: it is counted from its start, not from the last byte. */
  static SSLHandshakeException handshakeTimeout(String socket, long millis) {
    return handshake(socket, "handshake timeout: not complete after " + millis + " ms");
  }

  /** The peer ended its data (FIN) before a handshake on the socket could complete. */
  static SSLHandshakeException closedDuringHandshake(String socket) {
    return handshake(socket, "the peer closed the connection during the TLS handshake");
  }

  static java.io.InterruptedIOException interrupted(String socket) {
    return new java.io.InterruptedIOException("interrupted while writing to " + socket
        + ": the write may be half sent, so the socket is closed");
  }

  static IOException closedByInterruptedWrite(String socket) {
    return new IOException(socket + " was closed: a write to it was interrupted and may be half sent");
  }
}
