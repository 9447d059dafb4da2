package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sockscript.testing.Registries;
import org.sockscript.testing.TestPki;
import org.sockscript.testing.Vsftpd;

/**
 * FTPS against a real vsftpd in its default {@code require_ssl_reuse=YES}: {@code AUTH TLS} on
 * the control connection, {@code PROT P}, and a passive download over a data connection that
 * resumes the control connection's session — and the refusal when it does not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FtpsVsftpdTest {

  private static final Pattern PASV = Pattern.compile("\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\)");
  private final TestPki pki = TestPki.get();
  @RegisterExtension final Registries registries = new Registries();
  private final SocketRegistry sockets = registries.trustingTestRoot();


  @Test
  void passiveDownloadResumesTheControlConnectionsSession() throws Exception {
    try (Vsftpd ftp = Vsftpd.start(pki.good().chainPem(), pki.good().keyPem(), Map.of("file.txt", "hello over ftps\n"))) {
      String control = loggedIn(ftp);
      String data = passiveData(control);
      command(control, "RETR file.txt", null);
      sockets.secureResuming(data, control);
      assertThat(reply(control)).as(ftp.log()).startsWith("150 ");
      assertThat(sockets.read(data, Chunk.untilEnd())).isEqualTo("hello over ftps\n");
      assertThat(reply(control)).startsWith("226 ");
      TlsInfo info = sockets.tlsInfo(data);
      assertThat(info.resumed()).as("%s", info).isTrue();
      assertThat(info.verified()).isTrue();
      assertThat(sockets.tlsInfo(control).resumed()).isFalse();
    }
  }

  @Test
  void vsftpdRefusesADataConnectionThatDoesNotResume() throws Exception {
    try (Vsftpd ftp = Vsftpd.start(pki.good().chainPem(), pki.good().keyPem(), Map.of("file.txt", "x"))) {
      String control = loggedIn(ftp);
      String data = passiveData(control);
      command(control, "RETR file.txt", null);
      sockets.secure(data, true, "localhost"); // a session of its own: not the control connection's
      assertThat(reply(control)).startsWith("150 ");
      assertThat(reply(control)).as(ftp.log()).startsWith("522 SSL connection failed: session reuse required");
    }
  }

  /** Connects, upgrades with AUTH TLS, logs in and protects data (PBSZ 0, PROT P). */
  private String loggedIn(Vsftpd ftp) throws Exception {
    String control = "localhost:" + ftp.port();
    sockets.open(control);
    assertThat(reply(control)).startsWith("220");
    command(control, "AUTH TLS", "234");
    sockets.secure(control, true, null);
    command(control, "USER anonymous", "331");
    command(control, "PASS guest", "230");
    command(control, "PBSZ 0", "200");
    command(control, "PROT P", "200");
    command(control, "TYPE I", "200");
    return control;
  }

  /** PASV, then a plain connection to the port it names. */
  private String passiveData(String control) throws Exception {
    String pasv = command(control, "PASV", "227");
    Matcher m = PASV.matcher(pasv);
    assertThat(m.find()).as(pasv).isTrue();
    String data = "localhost:" + (Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6))) + "|data";
    sockets.open(data);
    return data;
  }

  private String command(String control, String line, String expectedCode) throws Exception {
    sockets.write(control, line + "\r\n");
    if (expectedCode == null) {
      return null;
    }
    String reply = reply(control);
    assertThat(reply).as("reply to %s", line).startsWith(expectedCode);
    return reply;
  }

  /** One FTP reply; of a multi-line reply, its last line. */
  private String reply(String control) throws Exception {
    for (int i = 0; i < 50; i++) {
      String line = sockets.read(control, Chunk.until("\r\n"));
      if (line.length() >= 4 && line.charAt(3) == ' ') {
        return line;
      }
    }
    throw new AssertionError("no end to a multi-line reply on " + control);
  }
}
