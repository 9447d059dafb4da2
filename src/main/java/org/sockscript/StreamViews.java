package org.sockscript;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.util.Objects;

/**
 * The {@code java.io} views of one socket that {@link SocketRegistry#inputStream} and
 * {@link SocketRegistry#outputStream} hand out: thin adapters over the registry's allocation-free
 * verbs, so that the socket plugs into code written for streams ({@code transferTo},
 * {@code Files.copy}, readers, parsers). A call on a socket that is not open (any more) is a
 * {@link SocketException}, as the JDK's socket streams report it, rather than the registry's
 * {@code IllegalStateException}; closing a view of a socket already closed does nothing.
 */
final class StreamViews {

  private StreamViews() {}

  interface ReadInto {
    int read(String socket, byte[] into, int offset, int length) throws IOException;
  }

  interface WriteFrom {
    void write(String socket, byte[] data, int offset, int length) throws IOException;
  }

  static InputStream input(String socket, ReadInto read, Runnable close) {
    return new InputStream() {
      private volatile boolean atEnd;
      private volatile boolean closed;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length); // InputStream's contract: IndexOutOfBounds
        if (closed) {
          throw new SocketException("stream closed: \"" + socket + "\"");
        }
        if (len == 0) {
          return 0; // even at the end, as InputStream says
        }
        if (atEnd) {
          return -1;
        }
        int n = call(() -> read.read(socket, b, off, len));
        atEnd = n < 0;
        return n;
      }

      @Override
      public void close() {
        closeOnce(this.closed, close);
        closed = true;
      }
    };
  }

  static OutputStream output(String socket, WriteFrom write, Runnable close) {
    return new OutputStream() {
      private volatile boolean closed;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
          throw new SocketException("stream closed: \"" + socket + "\"");
        }
        call(() -> {
          write.write(socket, b, off, len);
          return 0;
        });
      }

      @Override
      public void close() {
        closeOnce(this.closed, close);
        closed = true;
      }
    };
  }

  /** Closes the socket unless this view was closed; a socket closed already is no error. */
  private static void closeOnce(boolean viewClosed, Runnable close) {
    if (viewClosed) {
      return;
    }
    try {
      close.run();
    } catch (IllegalStateException notOpen) {
      // closed by the other view or the script, or the registry is closed: nothing left to do
    }
  }

  private interface IoCall {
    int run() throws IOException;
  }

  private static int call(IoCall call) throws IOException {
    try {
      return call.run();
    } catch (IllegalStateException e) { // not open (any more): the JDK's word for it
      SocketException closed = new SocketException(e.getMessage());
      closed.initCause(e);
      throw closed;
    }
  }
}
