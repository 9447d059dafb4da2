package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sockscript.testing.PythonPeer;
import org.sockscript.testing.Registries;
import org.sockscript.testing.TestPki;

/**
 * Explicit reuse, as FTPS data connections need it: a connection to another port offers the
 * session of an open secure socket. The peer is Python's ssl (OpenSSL) with one context on two
 * ports, as an FTPS server's control and data ports share one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExplicitSessionReuseTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestPki pki = TestPki.get();
  @RegisterExtension final Registries registries = new Registries();
  private final SocketRegistry sockets = registries.trustingTestRoot();


  @Test
  void openSecureResumingOffersTheOtherSocketsSessionOnAnotherPort() throws Exception {
    try (PythonPeer server = twoPorts("2")) {
      String control = securedControl(server);
      String data = "localhost:" + secondPort(server);
      sockets.openSecureResuming(data, control);
      echo(data);
      TlsInfo info = sockets.tlsInfo(data);
      assertThat(info.resumed()).as("%s", info).isTrue();
      assertThat(info.verified()).isTrue();
      assertThat(info.verifiedHost()).isEqualTo("localhost");
      assertThat(server.awaitOutput("saw " + secondPort(server) + " reused=True", WAIT)).as(server.output()).isTrue();
    }
  }

  @Test
  void secureResumingUpgradesAPlainConnectionWithTheOtherSocketsSession() throws Exception {
    try (PythonPeer server = twoPorts("2")) {
      String control = securedControl(server);
      String data = "localhost:" + secondPort(server);
      sockets.open(data);
      sockets.secureResuming(data, control);
      echo(data);
      assertThat(sockets.tlsInfo(data).resumed()).isTrue();
    }
  }

  @Test
  void resumingASocketThatIsNotSecureIsRefused() throws Exception {
    try (PythonPeer server = twoPorts("1")) {
      String plain = "localhost:" + server.port();
      sockets.open(plain);
      assertThatThrownBy(() -> sockets.openSecureResuming("localhost:" + secondPort(server), plain))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("cannot resume the session of \"" + plain + "\": it is not secure");
    }
  }

  /** The Python peer: one TLS context on two ports, serving {@code clients} connections. */
  private PythonPeer twoPorts(String clients) throws Exception {
    return PythonPeer.server("two-ports-one-session-cache", pki.good().chainPem().toString(),
        pki.good().keyPem().toString(), clients);
  }

  /** The control connection on the first port, secured and used once (its TLS 1.3 tickets arrive). */
  private String securedControl(PythonPeer server) throws Exception {
    String control = "localhost:" + server.port();
    sockets.openSecure(control, true, null);
    echo(control);
    return control;
  }

  private void echo(String name) throws Exception {
    sockets.write(name, "hello\r\n");
    assertThat(sockets.read(name, Chunk.until("\r\n"))).isEqualTo("hello\r\n");
  }

  private static int secondPort(PythonPeer server) throws InterruptedException {
    server.awaitOutput("second ", WAIT);
    Matcher m = Pattern.compile("second (\\d+)\\s").matcher(server.output());
    assertThat(m.find()).as(server.output()).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
