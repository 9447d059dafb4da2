package org.sockscript.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.sockscript.Chunk;

/** The I/O failures sockscript reports, worded with what was expected and what was seen. */
final class Failures {

  private Failures() {}

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

  static IOException truncated(String socket) {
    return new IOException("truncated: " + socket + " was closed by the peer without a TLS close_notify;"
        + " the data may have been cut short");
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

  static SSLHandshakeException handshakeTimeout(String socket, long millis) {
    return new SSLHandshakeException("handshake timeout: no TLS progress for " + millis
        + " ms with " + socket);
  }

  static java.io.InterruptedIOException interrupted(String socket) {
    return new java.io.InterruptedIOException("interrupted while writing to " + socket
        + ": the write may be half sent, so the socket is closed");
  }

  static IOException closedByInterruptedWrite(String socket) {
    return new IOException(socket + " was closed: a write to it was interrupted and may be half sent");
  }
}
