package org.sockscript;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sockscript.testing.TestPki;

/**
 * The allocation-free verbs for bulk data: {@code readBytes(socket, into, offset, length)} (at
 * least one byte, at most {@code length}, -1 at the end), {@code Chunk.upTo}, the blocking
 * {@code write} of an array slice, and the {@code java.io} stream views over them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadIntoAndStreamsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void readBytesIntoCopiesWhatHasArrivedAtTheOffsetWithoutWaitingForMore() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      pair.server.write(pair.accepted(name), "hello");
      byte[] into = new byte[16];
      Arrays.fill(into, (byte) 'x');
      int n = pair.client.readBytes(name, into, 3, 10); // 10 asked, 5 sent: returns with the 5
      assertThat(n).isEqualTo(5);
      assertThat(new String(into, ISO_8859_1)).isEqualTo("xxxhelloxxxxxxxx");
    }
  }

  @Test
  void readBytesIntoTakesAtMostLengthAndLeavesTheRestInOrderForOtherChunks() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      pair.server.write(pair.accepted(name), "abcdefgh\r\nrest");
      pair.client.readBytes(name, Chunk.bytes(1)); // "a": once it is here, the rest may be too
      byte[] into = new byte[3];
      int n = pair.client.readBytes(name, into, 0, 3);
      assertThat(n).isBetween(1, 3);
      String rest = pair.client.read(name, Chunk.until("\r\n"));
      assertThat(new String(into, 0, n, ISO_8859_1) + rest).isEqualTo("bcdefgh\r\n");
      assertThat(pair.client.readBytes(name, Chunk.upTo(100))).asString(ISO_8859_1).isNotEmpty()
          .satisfies(s -> assertThat("rest").startsWith(s));
    }
  }

  @Test
  void readBytesIntoReturnsMinusOneOnceThePeerHasClosedAndEverythingIsRead() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      String peer = pair.accepted(name);
      pair.server.write(peer, "bye");
      pair.server.close(peer);
      byte[] into = new byte[8];
      StringBuilder got = new StringBuilder();
      for (int n; (n = pair.client.readBytes(name, into, 0, into.length)) > 0; ) {
        got.append(new String(into, 0, n, ISO_8859_1));
      }
      assertThat(got).hasToString("bye");
      assertThat(pair.client.readBytes(name, into, 0, into.length)).isEqualTo(-1); // and again
    }
  }

  @Test
  void readBytesIntoTimesOutWhenNoByteComes() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      pair.client.setSocketTimeoutInterval(Duration.ofMillis(300));
      String name = pair.connect("");
      assertThatThrownBy(() -> pair.client.readBytes(name, new byte[8], 0, 8))
          .isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void readIntoAndSliceWritesRejectARangeOutsideTheArray() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      assertThatThrownBy(() -> pair.client.readBytes(name, new byte[10], 4, 8))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("offset 4 and length 8 must lie within the array's 10 bytes");
      assertThatThrownBy(() -> pair.client.write(name, new byte[10], -1, 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("offset -1 and length 2 must lie within the array's 10 bytes");
      assertThat(pair.client.readBytes(name, new byte[10], 10, 0)).isZero(); // nothing asked
      assertThatThrownBy(() -> Chunk.upTo(0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("count must be at least 1, was 0");
      assertThat(Chunk.upTo(4)).hasToString("for up to 4 bytes");
    }
  }

  @Test
  void sliceWriteSendsOnlyTheSlice() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      String peer = pair.accepted(name);
      pair.client.write(name, "--abc--".getBytes(ISO_8859_1), 2, 3);
      pair.client.write(name, "\n");
      assertThat(pair.server.read(peer, Chunk.lines(1))).isEqualTo("abc\n");
    }
  }

  /** 8 MiB through an OutputStream on the accepted side and an InputStream on the client. */
  @ParameterizedTest(name = "secure={0}")
  @ValueSource(booleans = {false, true})
  void streamsCarryEightMebibytesInOrderThenEnd(boolean secure) throws Exception {
    byte[] data = pattern(8 * 1024 * 1024);
    try (SocketRegistry server = new SocketRegistry(); SocketRegistry client = new SocketRegistry()) {
      TestPki pki = TestPki.get();
      server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
      client.setSslCertificates(List.of(pki.rootPem()));
      RecordingListener events = new RecordingListener();
      String name = "localhost:" + server.accept(0, events, secure);
      if (secure) {
        client.openSecure(name, true, null);
      } else {
        client.open(name);
      }
      String peer = events.awaitEvent("newConnection ", WAIT).split(" ")[1];
      CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
        try (OutputStream out = server.outputStream(peer)) {
          for (int at = 0; at < data.length; at += 65536) {
            out.write(data, at, Math.min(65536, data.length - at));
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      byte[] got = client.inputStream(name).readAllBytes();
      sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(got.length).isEqualTo(data.length);
      assertThat(Arrays.mismatch(got, data)).isEqualTo(-1);
      assertThat(server.openSockets()).doesNotContain(peer); // closing the stream closed the socket
    }
  }

  @Test
  void streamsOfAClosedSocketThrowSocketException() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      InputStream in = pair.client.inputStream(name);
      OutputStream out = pair.client.outputStream(name);
      in.close();
      assertThat(pair.client.openSockets()).doesNotContain(name);
      assertThatThrownBy(in::read).isInstanceOf(SocketException.class)
          .hasMessage("stream closed: \"" + name + "\"");
      assertThatThrownBy(() -> out.write(1)).isInstanceOf(SocketException.class)
          .hasMessage("socket is not open: \"" + name + "\"");
      assertThatThrownBy(() -> pair.client.inputStream(name)).isInstanceOf(IllegalStateException.class)
          .hasMessage("socket is not open: \"" + name + "\"");
    }
  }

  @Test
  void closingAViewOfASocketAlreadyClosedDoesNothing() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      InputStream in = pair.client.inputStream(name);
      OutputStream out = pair.client.outputStream(name);
      in.close();
      out.close(); // try-with-resources on both views: the socket is closed once
      String other = pair.connect("|2");
      InputStream second = pair.client.inputStream(other);
      pair.client.close(other);
      second.close(); // the script closed it first
      second.close();
      assertThat(pair.client.openSockets()).isEmpty();
    }
  }

  @Test
  void aZeroLengthStreamReadReturnsZeroEvenAtTheEnd() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      pair.server.close(pair.accepted(name));
      assertThat(pair.client.readBytes(name, new byte[1], 0, 1)).isEqualTo(-1); // the socket has ended
      InputStream in = pair.client.inputStream(name); // a view of it still answers: at the end
      assertThat(in.read()).isEqualTo(-1);
      assertThat(in.read(new byte[4], 0, 0)).isZero();
      assertThat(in.read(new byte[4], 0, 4)).isEqualTo(-1);
    }
  }

  /** After STARTTLS, a read into an array gets the decrypted bytes, never the plaintext before. */
  @Test
  void readBytesIntoAfterSecureReadsOnlyTheDecryptedBytes() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      TestPki pki = TestPki.get();
      pair.server.setServerIdentity(pki.good().chainPem(), pki.good().keyPem());
      pair.client.setSslCertificates(List.of(pki.rootPem()));
      String name = pair.connect("");
      String peer = pair.accepted(name);
      pair.server.write(peer, "220 go ahead\r\n");
      pair.server.secure(peer);
      assertThat(pair.client.read(name, Chunk.until("\r\n"))).isEqualTo("220 go ahead\r\n");
      pair.client.secure(name, true, "localhost");
      pair.server.write(peer, "secret");
      byte[] into = new byte[64];
      int n = pair.client.readBytes(name, into, 0, into.length);
      String got = new String(into, 0, n, ISO_8859_1);
      assertThat("secret").startsWith(got);
      assertThat(pair.client.tlsInfo(name).verified()).isTrue();
    }
  }

  private static byte[] pattern(int size) {
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = (byte) (i * 31 + (i >>> 16)); // not periodic in 64 KiB: a misplaced block shows
    }
    return data;
  }
}
