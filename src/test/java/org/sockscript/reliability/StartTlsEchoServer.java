package org.sockscript.reliability;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.sockscript.Chunk;
import org.sockscript.ReadCallback;
import org.sockscript.SocketListener;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.TestPki;

/**
 * A sockscript registry playing a STARTTLS server with callbacks only (no thread per socket):
 * {@code STARTTLS} is answered {@code 220 go} and the socket is secured as the TLS server; after
 * that every line is echoed as {@code "250 " + line}. Anything unexpected is counted in
 * {@link #errors()}, never thrown into the registry.
 *
 * <pre>{@code
 * try (StartTlsEchoServer server = StartTlsEchoServer.start()) {
 *   client.open("127.0.0.1:" + server.port());
 * }
 * }</pre>
 */
final class StartTlsEchoServer implements SocketListener, AutoCloseable {

  final SocketRegistry registry = new SocketRegistry();
  private final String port;
  private final AtomicInteger errors = new AtomicInteger();
  private final AtomicInteger secured = new AtomicInteger();
  private volatile String lastError;

  private StartTlsEchoServer() throws IOException {
    registry.setServerIdentity(TestPki.get().good().chainPem(), TestPki.get().good().keyPem());
    port = registry.accept(0, this);
  }

  static StartTlsEchoServer start() throws IOException {
    return new StartTlsEchoServer();
  }

  /** The listening port. */
  int port() {
    return Integer.parseInt(port);
  }

  /** Unexpected failures seen by the server side, and the last one's text. */
  int errors() {
    return errors.get();
  }

  String lastError() {
    return lastError;
  }

  /** Handshakes the server side completed. */
  int secured() {
    return secured.get();
  }

  @Override
  public void newConnection(String socket, String listenerName) {
    guard(() -> registry.read(socket, Chunk.until("\r\n"), this::command));
  }

  private void command(String socket, String line) {
    if (line.isEmpty()) {
      return; // the client hung up first
    }
    guard(() -> {
      if (line.equals("STARTTLS\r\n")) {
        registry.write(socket, "220 go\r\n", null);
        registry.secure(socket);
        registry.read(socket, Chunk.until("\r\n"), echo());
      } else {
        registry.write(socket, "500 expected STARTTLS\r\n", null);
        registry.read(socket, Chunk.until("\r\n"), this::command);
      }
    });
  }

  private ReadCallback echo() {
    return (socket, line) -> {
      if (!line.isEmpty()) {
        guard(() -> {
          // Re-arm the read first: once the reply is out the client may hang up at any moment.
          registry.read(socket, Chunk.until("\r\n"), echo());
          registry.write(socket, "250 " + line, null);
        });
      }
    };
  }

  @Override
  public void secured(String socket, org.sockscript.TlsInfo info) {
    secured.incrementAndGet();
  }

  @Override
  public void socketError(String socket, String reason) {
    error(socket + ": " + reason);
  }

  private interface Step {
    void run() throws IOException;
  }

  private void guard(Step step) {
    try {
      step.run();
    } catch (IOException | RuntimeException e) {
      error(e.toString());
    }
  }

  private void error(String text) {
    errors.incrementAndGet();
    lastError = text;
  }

  @Override
  public void close() {
    registry.close();
  }
}
