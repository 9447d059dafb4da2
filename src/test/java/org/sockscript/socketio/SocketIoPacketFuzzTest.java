package org.sockscript.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the Engine.IO and Socket.IO packet decoders (and the JSON under them) with any text a
 * hostile server could put in a WebSocket text message: it either decodes to a packet whose
 * encoding decodes to the same packet (nothing read wrong), or is refused with a
 * {@link SocketIoProtocolException} quoting it — never another exception, and never a stack
 * overflow on deep JSON (the nesting limit).
 *
 * <p>The default build replays the seeds in {@code src/test/resources/.../SocketIoPacketFuzzTestInputs}.
 * A real run: {@code JAZZER_FUZZ=1 mvn test -Dtest=SocketIoPacketFuzzTest -Djazzer.max_duration=60s}.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES) // a fuzzing run is one long invocation; each input takes microseconds
class SocketIoPacketFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void everyPacketDecodesToWhatItEncodesOrIsRefusedClearly(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    EngineIoPacket engine;
    try {
      engine = EngineIoPacket.decode(text);
    } catch (SocketIoProtocolException refused) {
      assertThat(refused.getMessage()).startsWith("an ");
      return;
    }
    assertThat(engine.encode()).isEqualTo(text);
    try {
      switch (engine.type()) {
        case EngineIoPacket.OPEN -> {
          EngineIoOpen open = EngineIoOpen.parse(engine.data());
          assertThat(open.sid()).isNotEmpty();
          assertThat(open.pingInterval()).isPositive();
          assertThat(open.pingTimeout()).isPositive();
          assertThat(open.maxPayload()).isPositive();
        }
        case EngineIoPacket.MESSAGE -> {
          SocketIoPacket packet = SocketIoPacket.decode(engine.data());
          assertThat(SocketIoPacket.decode(packet.encode())).isEqualTo(packet);
          if (packet.type() == SocketIoPacket.EVENT) {
            assertThat(packet.eventName()).isNotNull();
            assertThat(packet.eventArgs().size()).isEqualTo(packet.data().getAsJsonArray().size() - 1);
          } else if (packet.type() == SocketIoPacket.CONNECT_ERROR) {
            assertThat(packet.errorMessage()).isNotNull();
          }
        }
        default -> { }
      }
    } catch (SocketIoProtocolException refused) {
      assertThat(refused.getMessage()).isNotBlank();
    }
  }
}
