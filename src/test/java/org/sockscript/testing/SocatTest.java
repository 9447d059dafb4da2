package org.sockscript.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Needs socat installed: without it these fail with "socat not installed: run apt-get install -y socat". */
@Timeout(30)
class SocatTest {

    @Test
    void echoServerEchoesForConcurrentClients() throws Exception {
        try (Socat socat = Socat.echoServer();
             Socket a = LineServerTest.connect(socat.port());
             Socket b = LineServerTest.connect(socat.port())) {
            LineServer.writeLine(a.getOutputStream(), "ping a");
            LineServer.writeLine(b.getOutputStream(), "ping b");
            assertThat(LineServer.readLine(b.getInputStream())).isEqualTo("ping b");
            assertThat(LineServer.readLine(a.getInputStream())).isEqualTo("ping a");
        }
    }

    @Test
    void lineServerAnswersEachLineBeforeTheNextIsSent() throws Exception {
        try (Socat socat = Socat.lineServer(); Socket s = LineServerTest.connect(socat.port())) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            LineServer.writeLine(out, "first");
            assertThat(LineServer.readLine(in)).isEqualTo("echo: first");
            LineServer.writeLine(out, "second");
            assertThat(LineServer.readLine(in)).isEqualTo("echo: second");
            s.shutdownOutput();
            assertThat(LineServer.readLine(in)).isNull();
        }
    }

    @Test
    void closeStopsListening() throws Exception {
        Socat socat = Socat.echoServer();
        int port = socat.port();
        socat.close();
        assertThatThrownBy(() -> LineServerTest.connect(port)).isInstanceOf(IOException.class);
        assertThat(Loopback.isListening(port)).isFalse();
    }
}
