package org.sockscript.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SilentServerTest {

    @Test
    void recordsWhatArrivesAndNeverAnswers() throws Exception {
        try (SilentServer server = SilentServer.start();
             Socket client = LineServerTest.connect(server.port())) {
            client.getOutputStream().write("EHLO me\r\n".getBytes(ISO_8859_1));
            assertThat(server.awaitReceived(9, Duration.ofSeconds(5))).isTrue();
            assertThat(server.received()).asString(ISO_8859_1).isEqualTo("EHLO me\r\n");

            client.setSoTimeout(300);
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void keepsTheConnectionOpenAfterClientEof() throws Exception {
        try (SilentServer server = SilentServer.start();
             Socket client = LineServerTest.connect(server.port())) {
            client.shutdownOutput();
            client.setSoTimeout(300);
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void countsConnections() throws Exception {
        try (SilentServer server = SilentServer.start();
             Socket a = LineServerTest.connect(server.port());
             Socket b = LineServerTest.connect(server.port())) {
            assertThat(server.awaitConnections(2, Duration.ofSeconds(5))).isTrue();
            assertThat(server.awaitConnections(3, Duration.ofMillis(200))).isFalse();
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void closeHangsUpOnClients() throws Exception {
        SilentServer server = SilentServer.start();
        try (Socket client = LineServerTest.connect(server.port())) {
            assertThat(server.awaitConnections(1, Duration.ofSeconds(5))).isTrue();
            server.close();
            assertThat(LineServerTest.readOrReset(client)).isEqualTo(-1);
            assertThatThrownBy(() -> LineServerTest.connect(server.port())).isInstanceOf(java.io.IOException.class);
        }
    }
}
