package org.sockscript.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** openssl s_server and s_client talking to each other; keys live only in a @TempDir. */
@Timeout(60)
class OpensslServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void serverAndClientTalkTls13WithASelfSignedCert() throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-subj", "/CN=localhost", "-days", "1", "-keyout", "k.pem", "-out", "c.pem");
        try (OpensslServer server = OpensslServer.start(dir.resolve("c.pem"), dir.resolve("k.pem"));
             OpensslClient client = OpensslClient.start("-connect", Loopback.HOST + ":" + server.port(),
                     "-CAfile", dir.resolve("c.pem").toString(), "-verify_return_error",
                     "-servername", "localhost", "-tls1_3")) {
            assertThat(client.awaitOutput("Verify return code: 0 (ok)", WAIT)).as(client.output()).isTrue();
            assertThat(client.output()).contains("TLSv1.3");

            client.send("hello server\n");
            assertThat(server.awaitOutput("hello server", WAIT)).as(server.output()).isTrue();
            server.send("hello client\n");
            assertThat(client.awaitOutput("hello client", WAIT)).as(client.output()).isTrue();

            client.closeStdin();
            assertThat(client.exitCode(WAIT)).hasValue(0);
            assertThat(server.isAlive()).isTrue();
        }
    }

    @Test
    void sendsTheIntermediatesFromTheChainFile() throws Exception {
        Files.writeString(dir.resolve("ca.ext"), "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n");
        Files.writeString(dir.resolve("leaf.ext"), "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost\n");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-subj", "/CN=Test Root", "-days", "1", "-keyout", "root.key", "-out", "root.pem");
        issue("Test Intermediate", "int", "root", "ca.ext");
        issue("localhost", "leaf", "int", "leaf.ext");
        Files.writeString(dir.resolve("chain.pem"),
                Files.readString(dir.resolve("leaf.pem")) + Files.readString(dir.resolve("int.pem")));

        try (OpensslServer server = OpensslServer.start(dir.resolve("chain.pem"), dir.resolve("leaf.key"), "-www");
             OpensslClient client = OpensslClient.start("-connect", Loopback.HOST + ":" + server.port(),
                     "-CAfile", dir.resolve("root.pem").toString(), "-verify_return_error",
                     "-verify_hostname", "localhost", "-servername", "localhost", "-showcerts")) {
            assertThat(client.awaitOutput("Verify return code: 0 (ok)", WAIT)).as(client.output()).isTrue();
            assertThat(client.output()).contains("1 s:CN = Test Intermediate").doesNotContain("2 s:");

            client.send("GET / HTTP/1.0\r\n\r\n");
            assertThat(client.awaitOutput("HTTP/1.0 200 ok", WAIT)).as(client.output()).isTrue();
        }
    }

    @Test
    void failedStartReportsTheOutput() throws Exception {
        Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> OpensslServer.start(dir.resolve("empty.pem"), dir.resolve("missing.key")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("openssl s_server did not start");
    }

    /** Makes NAME.key/NAME.pem signed by ISSUER.key/ISSUER.pem with the extensions in EXT. */
    private void issue(String cn, String name, String issuer, String ext) throws Exception {
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-subj", "/CN=" + cn, "-keyout", name + ".key", "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", issuer + ".pem", "-CAkey", issuer + ".key",
                "-CAcreateserial", "-days", "1", "-extfile", ext, "-out", name + ".pem");
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        InstalledPeers.assume(OpensslServer.OPENSSL);
        List<String> cmd = new ArrayList<>(List.of(OpensslServer.OPENSSL));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }
}
