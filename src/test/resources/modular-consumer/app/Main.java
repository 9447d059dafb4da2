package app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.sockscript.Chunk;
import org.sockscript.SocketListener;
import org.sockscript.SocketRegistry;

/**
 * A secure listener echoes one line per connection, then throws on purpose, so the report of a
 * throwing listener can be checked. Calls to one listener take turns, so once the second echo is
 * back, the first call's failure has been reported. Arguments: the server's chain and key PEM.
 */
public class Main {
  public static void main(String[] args) throws Exception {
    try (SocketRegistry sockets = new SocketRegistry()) {
      sockets.setServerIdentity(Path.of(args[0]), Path.of(args[1]));
      String port = sockets.accept(0, new SocketListener() {
        @Override
        public void newConnection(String socket, String listener) {
          try {
            sockets.write(socket, sockets.read(socket, Chunk.until("\n")));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          throw new IllegalStateException("app: this listener fails on purpose");
        }
      }, true);
      for (String id : new String[] {"first", "second"}) {
        String name = "127.0.0.1:" + port + "|" + id;
        sockets.openSecure(name, false, null);
        sockets.write(name, "hello from a module\n");
        System.out.print("app: " + id + " echo: " + sockets.read(name, Chunk.until("\n")));
        System.out.println("app: TLS provider " + sockets.tlsInfo(name).provider());
      }
    }
  }
}
