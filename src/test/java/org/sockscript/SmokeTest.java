package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.TestPki;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SmokeTest {
  @Test
  void plainAndStarttls() throws Exception {
    TestPki pki = TestPki.get();
    try (var server = new SocketRegistry(); var client = new SocketRegistry()) {
      server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
      client.setSslCertificates(List.of(pki.rootPem()));
      String port = server.accept(0, new SocketListener() {
        @Override public void newConnection(String s, String l) {
          try {
            server.write(s, "220 hello\r\n");
            String cmd = server.read(s, Chunk.until("\r\n"));
            System.out.println("server got " + cmd);
            server.write(s, "220 go ahead\r\n", null);
            server.secure(s);
            String line = server.read(s, Chunk.until("\r\n"));
            System.out.println("server got secure " + line + " " + server.tlsInfo(s));
            server.write(s, "250 " + line);
          } catch (Exception e) { e.printStackTrace(); }
        }
      });
      String s = "localhost:" + port;
      client.open(s);
      System.out.println(client.openSockets() + " " + client.hostAddress(s) + " -> " + client.peerAddress(s));
      assertThat(client.read(s, Chunk.until("\r\n"))).isEqualTo("220 hello\r\n");
      client.write(s, "STARTTLS\r\n");
      assertThat(client.read(s, Chunk.until("\r\n"))).isEqualTo("220 go ahead\r\n");
      client.secure(s);
      client.write(s, "EHLO me\r\n");
      assertThat(client.read(s, Chunk.until("\r\n"))).isEqualTo("250 EHLO me\r\n");
      System.out.println(client.tlsInfo(s));
      client.close(s);
    }
  }
}
