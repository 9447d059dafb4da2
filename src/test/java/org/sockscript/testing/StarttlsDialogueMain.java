package org.sockscript.testing;

import java.time.Duration;
import java.util.List;
import org.sockscript.Chunk;
import org.sockscript.SocketListener;
import org.sockscript.SocketRegistry;
import org.sockscript.TlsInfo;

/**
 * A whole STARTTLS dialogue between two registries, as a program: the fallback test runs it in a
 * fresh JVM (with {@code -Dsockscript.conscrypt=disabled}) and reads what it prints.
 */
public final class StarttlsDialogueMain {

  private StarttlsDialogueMain() {}

  public static void main(String[] args) throws Exception {
    TestPki pki = TestPki.get();
    try (SocketRegistry server = new SocketRegistry(); SocketRegistry client = new SocketRegistry()) {
      server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
      client.setSslCertificates(List.of(pki.rootPem()));
      String port = server.accept(0, new SocketListener() {
        @Override
        public void newConnection(String s, String listener) {
          try {
            server.read(s, Chunk.until("\r\n"));
            server.write(s, "220 go\r\n", null);
            server.secure(s);
            server.write(s, "250 " + server.read(s, Chunk.until("\r\n")));
          } catch (Exception e) {
            System.out.println("server failed: " + e);
          }
        }
      });
      String name = "localhost:" + port;
      client.setSocketTimeoutInterval(Duration.ofSeconds(10));
      client.open(name);
      client.write(name, "STARTTLS\r\n");
      client.read(name, Chunk.until("\r\n"));
      client.secure(name);
      client.write(name, "EHLO fallback\r\n");
      String reply = client.read(name, Chunk.until("\r\n")).trim();
      TlsInfo info = client.tlsInfo(name);
      System.out.println("reply=" + reply + " provider=" + info.provider() + " protocol=" + info.protocol()
          + " verified=" + info.verified());
    }
  }
}
