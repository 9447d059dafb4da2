package org.sockscript;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sockscript.internal.tls.TlsProviders;
import org.sockscript.testing.TlsProviderRegistries;
import org.sockscript.testing.StarttlsDialogueMain;
import org.sockscript.testing.TestPki;

/**
 * One suite over both TLS providers, in every pairing (as jnr-unixsocket runs one suite over
 * several transports): Conscrypt and the JDK's provider must behave alike, and the JDK one must
 * take over, announced once, when Conscrypt is unavailable.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProviderInteropTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestPki pki = TestPki.get();

  @ParameterizedTest(name = "client {0}, server {1}")
  @CsvSource({"Conscrypt, Conscrypt", "Conscrypt, SunJSSE", "SunJSSE, Conscrypt", "SunJSSE, SunJSSE"})
  void starttlsDialogueWorksInEveryProviderPairing(String clientProvider, String serverProvider)
      throws Exception {
    try (SocketRegistry server = TlsProviderRegistries.on(serverProvider); SocketRegistry client = TlsProviderRegistries.on(clientProvider)) {
      server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
      client.setSslCertificates(List.of(pki.rootPem()));
      RecordingListener events = new RecordingListener();
      String name = "localhost:" + server.accept(0, events);
      client.open(name);
      String accepted = events.awaitEvent("newConnection", WAIT).split(" ")[1];
      client.write(name, "STARTTLS\r\n");
      assertThat(server.read(accepted, Chunk.until("\r\n"))).isEqualTo("STARTTLS\r\n");
      server.write(accepted, "220 go\r\n", null);
      server.secure(accepted);
      assertThat(client.read(name, Chunk.until("\r\n"))).isEqualTo("220 go\r\n");
      client.secure(name);

      byte[] payload = new byte[1024 * 1024 + 7]; // many TLS records, one odd-sized
      new Random(42).nextBytes(payload);
      client.write(name, payload, null);
      assertThat(server.readBytes(accepted, Chunk.bytes(payload.length))).isEqualTo(payload);
      server.write(accepted, "bye\r\n");
      assertThat(client.read(name, Chunk.until("\r\n"))).isEqualTo("bye\r\n");

      assertThat(client.tlsInfo(name).provider()).isEqualTo(clientProvider);
      assertThat(server.tlsInfo(accepted).provider()).isEqualTo(serverProvider);
      assertThat(client.tlsInfo(name).verified()).isTrue();
    }
  }

  @Test
  void jdkProviderTakesOverWithOneWarningWhenConscryptIsUnavailable() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-D" + TlsProviders.DISABLE_PROPERTY + "=disabled",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        StarttlsDialogueMain.class.getName())
        .directory(Path.of("").toAbsolutePath().toFile())
        .redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = out.toString(UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("reply=250 EHLO fallback provider=SunJSSE protocol=TLSv1.3 verified=true");
    assertThat(output.lines().filter(l -> l.contains("WARN"))).as(output)
        .singleElement().asString().contains("using the JDK's TLS provider");
  }
}
