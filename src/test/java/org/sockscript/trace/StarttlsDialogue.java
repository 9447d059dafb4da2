package org.sockscript.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.sockscript.Chunk;
import org.sockscript.SocketListener;
import org.sockscript.SocketRegistry;
import org.sockscript.testing.TestPki;

/**
 * An SMTP-style STARTTLS exchange between two registries on loopback: the server greets, the
 * client asks STARTTLS, both secure, then one encrypted command and its answer:
 * {@code 220 ready / STARTTLS / 220 go ahead / <TLS> / EHLO me / 250 ok}.
 */
final class StarttlsDialogue implements AutoCloseable {

  final SocketRegistry server = new SocketRegistry();
  final String port;

  StarttlsDialogue() throws IOException {
    TestPki pki = TestPki.get();
    server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
    port = server.accept("127.0.0.1", 0, new SocketListener() {
      @Override
      public void newConnection(String socket, String listenerName) {
        try {
          server.write(socket, "220 ready\r\n");
          server.read(socket, Chunk.until("\r\n"));           // STARTTLS
          server.write(socket, "220 go ahead\r\n", null);      // queued: goes out in plaintext
          server.secure(socket);
          server.read(socket, Chunk.until("\r\n"));           // EHLO me, decrypted
          server.write(socket, "250 ok\r\n");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }, false);
  }

  /** Runs the client's side on {@code client} (trusting the test root), socket {@code name}. */
  void runClient(SocketRegistry client, String name) throws Exception {
    client.setSslCertificates(List.of(TestPki.get().rootPem()));
    client.read(name, Chunk.until("\r\n"));
    client.write(name, "STARTTLS\r\n");
    client.read(name, Chunk.until("\r\n"));
    client.secure(name, true, "localhost");
    client.write(name, "EHLO me\r\n");
    client.read(name, Chunk.until("\r\n"));                   // 250 ok
  }

  String name() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.close();
  }
}
