package org.sockscript.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.Chunk;
import org.sockscript.RecordingListener;
import org.sockscript.SocketEofException;
import org.sockscript.SocketRegistry;
import org.sockscript.SocketTruncatedException;
import org.sockscript.testing.PythonPeer;
import org.sockscript.testing.TestPki;

/**
 * A TLS server (Python's ssl, i.e. OpenSSL) sends {@code HEADER\r\nAMOUNT=100} and closes TCP
 * without close_notify: every read form that would report the end fails with the truncation
 * (a callback read is handed nothing), and the listener hears it once; with close_notify first,
 * the same bytes end cleanly.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTruncationTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String DATA = "HEADER\\r\\nAMOUNT=100";

  @Test
  void untilEndFailsWithTheTruncationInsteadOfReturningThePartialData() throws Exception {
    cutAfterHeader(ended -> assertThatThrownBy(() -> ended.sockets.read(ended.name, Chunk.untilEnd()))
        .isInstanceOfSatisfying(SocketTruncatedException.class,
            e -> assertThat(e.partialText()).isEqualTo("AMOUNT=100"))
        .hasMessage(ended.reason()));
  }

  @Test
  void readBytesIntoAnArrayFailsWithTheTruncationInsteadOfMinusOne() throws Exception {
    cutAfterHeader(ended -> {
      byte[] buffer = new byte[100];
      int n = ended.call(() -> ended.sockets.readBytes(ended.name, buffer, 0, buffer.length));
      assertThat(new String(buffer, 0, n)).isEqualTo("AMOUNT=100");
      assertThatThrownBy(() -> ended.sockets.readBytes(ended.name, buffer, 0, buffer.length))
          .isInstanceOf(SocketTruncatedException.class).hasMessage(ended.reason());
    });
  }

  @Test
  void inputStreamFailsWithTheTruncationInsteadOfAnEndOfStream() throws Exception {
    cutAfterHeader(ended -> assertThatThrownBy(() -> ended.sockets.inputStream(ended.name).readAllBytes())
        .isInstanceOf(IOException.class).hasMessage(ended.reason()));
  }

  @Test
  void aLineReadFailsWithTheTruncationInsteadOfEof() throws Exception {
    cutAfterHeader(ended -> assertThatThrownBy(() -> ended.sockets.read(ended.name, Chunk.until("\r\n")))
        .isInstanceOf(SocketTruncatedException.class)
        .isNotInstanceOf(SocketEofException.class)
        .hasMessage(ended.reason()));
  }

  @Test
  void aCallbackReadUntilEndGetsNoPartialDataOnlyTheSocketError() throws Exception {
    List<String> delivered = new CopyOnWriteArrayList<>();
    cutAfterHeader(ended -> {
      ended.sockets.read(ended.name, Chunk.untilEnd(), (socket, data) -> delivered.add(data));
      Thread.sleep(300); // a delivery of the partial data as if complete would show now
    });
    assertThat(delivered).as("what the callback was handed").isEmpty();
  }

  @Test
  void scriptClosingRightAfterItsReadFailedStillGetsOneSocketError() throws Exception {
    cutAfterHeader(ended -> {
      assertThatThrownBy(() -> ended.sockets.read(ended.name, Chunk.untilEnd()))
          .isInstanceOf(SocketTruncatedException.class);
      ended.sockets.close(ended.name); // at once, before the loop may have reported it
    });
  }

  @Test
  void closeNotifyThenFinIsStillAPlainEnd() throws Exception {
    try (SocketRegistry sockets = registry();
        PythonPeer server = PythonPeer.server("tls-send-then-end", chain(), key(), "clean", DATA)) {
      RecordingListener events = new RecordingListener();
      String name = openAndReadTheHeader(sockets, server, events);
      assertThat(sockets.read(name, Chunk.untilEnd())).isEqualTo("AMOUNT=100");
      assertThat(sockets.readBytes(name, new byte[10], 0, 10)).isEqualTo(-1);
      events.awaitEvent("socketClosed " + name, WAIT);
      assertThat(events.events()).noneMatch(e -> e.startsWith("socketError"));
    }
  }

  /** A secure socket whose peer sent {@link #DATA} and cut TCP, with the header line already read. */
  private void cutAfterHeader(IoConsumer<Ended> check) throws Exception {
    try (SocketRegistry sockets = registry();
        PythonPeer server = PythonPeer.server("tls-send-then-end", chain(), key(), "cut", DATA)) {
      RecordingListener events = new RecordingListener();
      String name = openAndReadTheHeader(sockets, server, events);
      assertThat(server.awaitOutput("saw done", WAIT)).as(server.output()).isTrue();
      Thread.sleep(100); // the FIN has surely arrived: the truncation is known before the read
      check.accept(new Ended(sockets, name));
      String error = events.awaitEvent("socketError " + name, WAIT);
      assertThat(error).isEqualTo("socketError " + name + ": " + new Ended(sockets, name).reason());
      Thread.sleep(200);
      assertThat(events.events()).filteredOn(e -> e.startsWith("socketError")).hasSize(1);
      assertThat(events.events()).noneMatch(e -> e.startsWith("socketClosed"));
    }
  }

  private static String openAndReadTheHeader(SocketRegistry sockets, PythonPeer server, RecordingListener events)
      throws Exception {
    String name = "127.0.0.1:" + server.port();
    sockets.openSecure(name, true, "localhost", events);
    events.awaitEvent("connected " + name, WAIT);
    assertThat(sockets.read(name, Chunk.until("\r\n"))).isEqualTo("HEADER\r\n");
    return name;
  }

  private static SocketRegistry registry() throws IOException {
    SocketRegistry sockets = new SocketRegistry();
    sockets.setSslCertificates(List.of(TestPki.get().rootPem()));
    return sockets;
  }

  private static String chain() {
    return TestPki.get().good().chainPem().toString();
  }

  private static String key() {
    return TestPki.get().good().keyPem().toString();
  }

  interface IoConsumer<T> {
    void accept(T t) throws Exception;
  }

  interface IoCall<T> {
    T call() throws Exception;
  }

  /** The truncated socket, and the reason every read form and the socketError must give. */
  record Ended(SocketRegistry sockets, String name) {
    String reason() {
      return "truncated: " + name + " was closed by the peer without a TLS close_notify after 18 byte(s)"
          + " of TLS data; the data may have been cut short";
    }

    <T> T call(IoCall<T> call) throws Exception {
      return call.call();
    }
  }
}
