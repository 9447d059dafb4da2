package org.sockscript.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LineServerTest {

    @Test
    void echoServesConcurrentClientsUntilEof() throws Exception {
        try (LineServer echo = LineServer.echo();
             Socket a = connect(echo.port());
             Socket b = connect(echo.port())) {
            LineServer.writeLine(a.getOutputStream(), "from a");
            LineServer.writeLine(b.getOutputStream(), "from b");
            assertThat(LineServer.readLine(b.getInputStream())).isEqualTo("from b");
            assertThat(LineServer.readLine(a.getInputStream())).isEqualTo("from a");
            a.shutdownOutput();
            assertThat(a.getInputStream().read()).isEqualTo(-1);
            assertThat(echo.errors()).isEmpty();
        }
    }

    @Test
    void runsTheScriptAndClosesWhenItReturns() throws Exception {
        try (LineServer server = LineServer.start(s -> {
            LineServer.writeLine(s.getOutputStream(), "+OK hello");
            String line = LineServer.readLine(s.getInputStream());
            LineServer.writeLine(s.getOutputStream(), "+OK got " + line);
        }); Socket client = connect(server.port())) {
            InputStream in = client.getInputStream();
            assertThat(LineServer.readLine(in)).isEqualTo("+OK hello");
            LineServer.writeLine(client.getOutputStream(), "QUIT");
            assertThat(LineServer.readLine(in)).isEqualTo("+OK got QUIT");
            assertThat(LineServer.readLine(in)).isNull();
        }
    }

    @Test
    void keepsWhatAHandlerThrows() throws Exception {
        try (LineServer server = LineServer.start(s -> {
            throw new IllegalStateException("script broke");
        }); Socket client = connect(server.port())) {
            assertThat(client.getInputStream().read()).isEqualTo(-1);
            assertThat(server.errors()).singleElement().extracting(Throwable::getMessage).isEqualTo("script broke");
        }
    }

    @Test
    void closeEndsBlockedHandlersWithoutRecordingErrors() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        LineServer server = LineServer.start(s -> {
            reading.countDown();
            s.getInputStream().read();
        });
        try (Socket client = connect(server.port())) {
            assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
            server.close();
            assertThat(readOrReset(client)).isEqualTo(-1);
            assertThat(server.errors()).isEmpty();
            assertThatThrownBy(() -> connect(server.port())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void readLineStripsCrLfAndReturnsNullAtEof() throws Exception {
        InputStream in = new ByteArrayInputStream("one\r\ntwo\nthree".getBytes(ISO_8859_1));
        assertThat(LineServer.readLine(in)).isEqualTo("one");
        assertThat(LineServer.readLine(in)).isEqualTo("two");
        assertThat(LineServer.readLine(in)).isEqualTo("three");
        assertThat(LineServer.readLine(in)).isNull();
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket(Loopback.HOST, port);
        s.setSoTimeout(5000);
        return s;
    }

    static int readOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (SocketException reset) {
            return -1;
        }
    }
}
