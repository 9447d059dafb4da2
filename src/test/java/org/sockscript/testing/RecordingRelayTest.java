package org.sockscript.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sockscript.testing.RecordingRelay.Direction.CLIENT_TO_SERVER;
import static org.sockscript.testing.RecordingRelay.Direction.SERVER_TO_CLIENT;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RecordingRelayTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void relaysBothWaysAndRecordsEachRead() throws Exception {
        try (LineServer echo = LineServer.echo();
             RecordingRelay relay = RecordingRelay.start(Loopback.HOST, echo.port());
             Socket client = new Socket(Loopback.HOST, relay.port())) {
            client.setSoTimeout(5000);
            LineServer.writeLine(client.getOutputStream(), "hello");
            assertThat(LineServer.readLine(client.getInputStream())).isEqualTo("hello");

            assertThat(relay.awaitBytes(SERVER_TO_CLIENT, 7, WAIT)).isTrue();
            assertThat(relay.bytes(CLIENT_TO_SERVER)).isEqualTo("hello\r\n".getBytes(ISO_8859_1));
            assertThat(relay.bytes(SERVER_TO_CLIENT)).isEqualTo("hello\r\n".getBytes(ISO_8859_1));
            assertThat(relay.segments()).first().extracting(RecordingRelay.Segment::direction).isEqualTo(CLIENT_TO_SERVER);
            assertThat(relay.segments()).isSortedAccordingTo((a, b) -> Long.compare(a.nanos(), b.nanos()));
            assertThat(relay.indexOfFirstTlsRecord(CLIENT_TO_SERVER)).isEqualTo(-1);
            assertThat(relay.plaintextPrefix(CLIENT_TO_SERVER)).isEqualTo("hello\r\n");
            assertThat(relay.awaitBytes(SERVER_TO_CLIENT, 8, Duration.ofMillis(100))).isFalse();
        }
    }

    @Test
    void clientHalfCloseReachesServerAndServerCloseReachesClient() throws Exception {
        try (LineServer echo = LineServer.echo();
             RecordingRelay relay = RecordingRelay.start(Loopback.HOST, echo.port());
             Socket client = new Socket(Loopback.HOST, relay.port())) {
            client.setSoTimeout(5000);
            client.getOutputStream().write("last words".getBytes(ISO_8859_1));
            client.shutdownOutput();
            // the echo handler sees EOF only through the relay's half-close, then returns and closes
            assertThat(client.getInputStream().readAllBytes()).asString(ISO_8859_1).isEqualTo("last words");
        }
    }

    @Test
    void closeHangsUpRelayedConnectionsAndStopsListening() throws Exception {
        try (LineServer echo = LineServer.echo()) {
            RecordingRelay relay = RecordingRelay.start(Loopback.HOST, echo.port());
            try (Socket client = new Socket(Loopback.HOST, relay.port())) {
                client.setSoTimeout(5000);
                LineServer.writeLine(client.getOutputStream(), "x");
                assertThat(LineServer.readLine(client.getInputStream())).isEqualTo("x");
                relay.close();
                assertThat(LineServerTest.readOrReset(client)).isEqualTo(-1);
                assertThatThrownBy(() -> new Socket(Loopback.HOST, relay.port()).close()).isInstanceOf(java.io.IOException.class);
            }
        }
    }

    @Test
    void unreachableTargetClosesTheClient() throws Exception {
        int closedPort = Loopback.freePort();
        try (RecordingRelay relay = RecordingRelay.start(Loopback.HOST, closedPort);
             Socket client = new Socket(Loopback.HOST, relay.port())) {
            client.setSoTimeout(5000);
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void findsTheClientHelloAfterAStarttlsExchange() throws Exception {
        try (LineServer smtp = LineServer.start(RecordingRelayTest::smtpUntilStarttls);
             RecordingRelay relay = RecordingRelay.start(Loopback.HOST, smtp.port());
             OpensslClient client = OpensslClient.start("-connect", Loopback.HOST + ":" + relay.port(),
                     "-starttls", "smtp", "-name", "client.test", "-servername", "localhost")) {
            assertThat(relay.awaitBytes(CLIENT_TO_SERVER, 40, WAIT)).as(client.output()).isTrue();

            String plaintext = relay.plaintextPrefix(CLIENT_TO_SERVER);
            assertThat(plaintext).isEqualTo("EHLO client.test\r\nSTARTTLS\r\n");
            int tls = relay.indexOfFirstTlsRecord(CLIENT_TO_SERVER);
            assertThat(tls).isEqualTo(plaintext.length());
            assertThat(relay.bytes(CLIENT_TO_SERVER)[tls]).isEqualTo((byte) 0x16);
            assertThat(relay.plaintextPrefix(SERVER_TO_CLIENT)).endsWith("220 2.0.0 Ready to start TLS\r\n");
            assertThat(relay.indexOfFirstTlsRecord(SERVER_TO_CLIENT)).isEqualTo(-1);
            assertThat(smtp.errors()).isEmpty();
        }
    }

    private static void smtpUntilStarttls(Socket s) throws Exception {
        s.setSoTimeout(5000);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        LineServer.writeLine(out, "220 relay.test ESMTP");
        assertThat(LineServer.readLine(in)).startsWith("EHLO");
        LineServer.writeLine(out, "250-relay.test\r\n250 STARTTLS");
        assertThat(LineServer.readLine(in)).isEqualTo("STARTTLS");
        LineServer.writeLine(out, "220 2.0.0 Ready to start TLS");
        assertThat(in.readNBytes(5)).hasSize(5); // a TLS record header, then hang up
    }

    @Test
    void tlsRecordScanMatchesOnlyRecordHeaders() {
        assertThat(RecordingRelay.indexOfFirstTlsRecord(bytes("A\r\n", 0x16, 0x03, 0x01, 0x02))).isEqualTo(3);
        assertThat(RecordingRelay.indexOfFirstTlsRecord(bytes("", 0x15, 0x03, 0x03))).isZero();
        assertThat(RecordingRelay.indexOfFirstTlsRecord(bytes("OK\r\n", 0x17, 0x03, 0x05))).isEqualTo(-1);
        assertThat(RecordingRelay.indexOfFirstTlsRecord(bytes("OK\r\n", 0x16, 0x03))).isEqualTo(-1);
        assertThat(RecordingRelay.indexOfFirstTlsRecord(bytes("250 STARTTLS\r\n"))).isEqualTo(-1);
    }

    private static byte[] bytes(String ascii, int... tail) {
        byte[] head = ascii.getBytes(ISO_8859_1);
        byte[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        for (int i = 0; i < tail.length; i++) {
            all[head.length + i] = (byte) tail[i];
        }
        return all;
    }
}
