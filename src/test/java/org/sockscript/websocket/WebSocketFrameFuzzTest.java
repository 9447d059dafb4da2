package org.sockscript.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the WebSocket frame reader and message joiner ({@link FrameReader}, {@link MessageReader})
 * as a hostile server would feed them. Each input is a few well-formed server messages (text or
 * binary, cut into fuzzer-chosen fragments, with pings between the fragments), followed by
 * fuzzer-chosen raw bytes. The well-formed part must come back exactly, message by message and
 * ping by ping; the raw part may give messages, a close, a {@link WebSocketProtocolException}
 * with a close code (1002, 1007 or 1009) or the end of the input — never another exception, a
 * message over the limit, text that is not UTF-8, a read of more bytes than the limit, or a hang.
 *
 * <p>The default build replays the seeds in {@code src/test/resources/.../WebSocketFrameFuzzTestInputs}.
 * A real run: {@code JAZZER_FUZZ=1 mvn test -Dtest=WebSocketFrameFuzzTest -Djazzer.max_duration=60s}.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES) // a fuzzing run is one long invocation; each input takes microseconds
class WebSocketFrameFuzzTest {

  private static final int LIMIT = 4096;

  @FuzzTest(maxDuration = "60s")
  void wellFormedFramesComeBackExactlyAndHostileBytesOnlyEverGiveAClearError(FuzzedDataProvider data) throws Exception {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    List<WebSocketMessage> sent = new ArrayList<>();
    List<String> sentPings = new ArrayList<>();
    int count = data.consumeInt(0, 4);
    for (int m = 0; m < count; m++) {
      boolean text = data.consumeBoolean();
      byte[] payload = text ? data.consumeString(200).getBytes(java.nio.charset.StandardCharsets.UTF_8)
          : data.consumeBytes(200);
      sent.add(new WebSocketMessage(text, payload));
      int at = 0;
      int opcode = text ? Frame.TEXT : Frame.BINARY;
      for (int fragment = 1; ; fragment++) { // at most 8 fragments: the last takes the rest
        int n = fragment == 8 ? payload.length - at : data.consumeInt(0, payload.length - at);
        boolean fin = at + n == payload.length;
        serverFrame(wire, fin, opcode, Arrays.copyOfRange(payload, at, at + n));
        opcode = Frame.CONTINUATION;
        at += n;
        if (data.consumeBoolean()) {
          String ping = "p" + sentPings.size();
          sentPings.add(ping);
          serverFrame(wire, true, Frame.PING, ping.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        if (fin) {
          break;
        }
      }
    }
    int wellFormed = wire.size();
    wire.writeBytes(data.consumeRemainingAsBytes());
    byte[] input = wire.toByteArray();

    int[] position = {0};
    FrameSource source = n -> {
      assertThat(n).as("a read within the limit").isBetween(1, LIMIT);
      if (input.length - position[0] < n) {
        throw new EOFException("end of input");
      }
      position[0] += n;
      return Arrays.copyOfRange(input, position[0] - n, position[0]);
    };
    List<String> pings = new ArrayList<>();
    MessageReader reader = new MessageReader(source, LIMIT, new MessageReader.Control() {
      @Override
      public void ping(byte[] payload) {
        pings.add(new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1));
      }

      @Override
      public void pong(byte[] payload) {}
    });

    for (WebSocketMessage expected : sent) {
      Object got = reader.next();
      assertThat(got).isInstanceOf(WebSocketMessage.class);
      WebSocketMessage message = (WebSocketMessage) got;
      assertThat(message.isText()).isEqualTo(expected.isText());
      assertThat(message.bytes()).isEqualTo(expected.bytes());
    }
    assertThat(position[0]).as("the well-formed part is read exactly").isLessThanOrEqualTo(wellFormed);
    assertThat(pings).isEqualTo(sentPings.subList(0, pings.size()));

    for (int step = 0; step <= input.length; step++) { // each step takes at least 2 bytes: bounded
      Object got;
      try {
        got = reader.next();
      } catch (WebSocketProtocolException e) {
        assertThat(e.getMessage()).isNotBlank();
        assertThat(e.closeCode()).isIn(1002, 1007, 1009);
        return;
      } catch (EOFException end) {
        return;
      }
      if (got instanceof MessageReader.Close close) {
        assertThat(close.code()).isBetween(1000, 4999);
        return;
      }
      WebSocketMessage message = (WebSocketMessage) got;
      assertThat(message.length()).isLessThanOrEqualTo(LIMIT);
      if (message.isText()) {
        assertThat(message.text().getBytes(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(message.bytes());
      }
    }
    throw new AssertionError("more steps than bytes: the reader went round without reading");
  }

  /** A server frame: unmasked, with the shortest length encoding. */
  private static void serverFrame(ByteArrayOutputStream out, boolean fin, int opcode, byte[] payload) {
    out.write((fin ? 0x80 : 0) | opcode);
    if (payload.length <= 125) {
      out.write(payload.length);
    } else {
      out.write(126);
      out.write(payload.length >>> 8);
      out.write(payload.length & 0xFF);
    }
    out.writeBytes(payload);
  }
}
