package org.sockscript.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class UnacceptingServerTest {

    @Test
    void blockingConnectTimesOut() throws Exception {
        try (UnacceptingServer server = UnacceptingServer.start(); Socket s = new Socket()) {
            assertThat(server.fillerCount()).isBetween(1, 16);
            long start = System.nanoTime();
            assertThatThrownBy(() -> s.connect(server.address(), 1000)).isInstanceOf(SocketTimeoutException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(900);
        }
    }

    @Test
    void nonBlockingConnectDoesNotCompleteWithinOneSecond() throws Exception {
        try (UnacceptingServer server = UnacceptingServer.start();
             SocketChannel channel = SocketChannel.open();
             Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            assertThat(channel.connect(server.address())).isFalse();
            channel.register(selector, SelectionKey.OP_CONNECT);
            assertThat(selector.select(1000)).isZero();
            assertThat(channel.finishConnect()).isFalse();
            assertThat(channel.isConnectionPending()).isTrue();
        }
    }

    @Test
    void closedServerRefusesConnections() throws Exception {
        UnacceptingServer server = UnacceptingServer.start();
        server.close();
        try (Socket s = new Socket()) {
            assertThatThrownBy(() -> s.connect(server.address(), 1000)).isInstanceOf(ConnectException.class);
        }
    }
}
