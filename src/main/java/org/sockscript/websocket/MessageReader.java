package org.sockscript.websocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Joins server frames into messages (RFC 6455 5.4): a text or binary frame starts a message,
 * continuation frames extend it, control frames may come between them. Refuses a continuation
 * with nothing to continue, a new message before the last one ended, a message longer than the
 * limit in total, text that is not UTF-8 (1007), and a malformed close frame. Pings and pongs go
 * to {@link Control}; a close frame ends reading with its code and reason.
 */
final class MessageReader {

  /** What to do with the control frames met while reading a message. */
  interface Control {
    void ping(byte[] payload) throws IOException;

    void pong(byte[] payload);
  }

  /** A close frame arrived: its status (1005 if none) and reason. */
  record Close(int code, String reason) {}

  private final FrameSource in;
  private final int limit;
  private final Control control;
  private ByteArrayOutputStream partial;
  private int partialOpcode;

  MessageReader(FrameSource in, int limit, Control control) {
    this.in = in;
    this.limit = limit;
    this.control = control;
  }

  /** True between the first and last frame of a fragmented message. */
  boolean midMessage() {
    return partial != null;
  }

  /** The next message, or a {@link Close}. */
  Object next() throws IOException {
    while (true) {
      Frame frame = FrameReader.read(in, limit);
      in.frameDone();
      switch (frame.opcode()) {
        case Frame.PING -> control.ping(frame.payload());
        case Frame.PONG -> control.pong(frame.payload());
        case Frame.CLOSE -> {
          return close(frame.payload());
        }
        case Frame.CONTINUATION -> {
          if (partial == null) {
            throw FrameReader.violation("a continuation frame with no message to continue", 1002);
          }
          if ((long) partial.size() + frame.payload().length > limit) {
            throw FrameReader.violation("a fragmented message of over " + limit
                + " bytes (the inbound limit)", 1009);
          }
          partial.write(frame.payload(), 0, frame.payload().length);
          if (frame.fin()) {
            byte[] whole = partial.toByteArray();
            partial = null;
            return message(partialOpcode, whole);
          }
        }
        default -> { // TEXT or BINARY: FrameReader lets no other opcode through
          if (partial != null) {
            throw FrameReader.violation("a new " + Frame.name(frame.opcode())
                + " frame before the fragmented " + Frame.name(partialOpcode) + " message ended", 1002);
          }
          if (frame.fin()) {
            return message(frame.opcode(), frame.payload());
          }
          partial = new ByteArrayOutputStream();
          partialOpcode = frame.opcode();
          partial.write(frame.payload(), 0, frame.payload().length);
        }
      }
    }
  }

  private static WebSocketMessage message(int opcode, byte[] payload) throws WebSocketProtocolException {
    boolean text = opcode == Frame.TEXT;
    if (text) {
      utf8(payload, "a text message");
    }
    return new WebSocketMessage(text, payload);
  }

  private static Close close(byte[] payload) throws WebSocketProtocolException {
    if (payload.length == 0) {
      return new Close(1005, "");
    }
    if (payload.length == 1) {
      throw FrameReader.violation("a close frame of 1 byte (expected none, or a 2-byte status code first)", 1002);
    }
    int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    boolean valid = code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006
        || code >= 3000 && code <= 4999;
    if (!valid) {
      throw FrameReader.violation("a close frame with status " + code
          + " (expected 1000-1003, 1007-1014 or 3000-4999)", 1002);
    }
    byte[] reason = java.util.Arrays.copyOfRange(payload, 2, payload.length);
    return new Close(code, utf8(reason, "a close reason"));
  }

  private static String utf8(byte[] bytes, String what) throws WebSocketProtocolException {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw FrameReader.violation(what + " of " + bytes.length + " bytes that is not valid UTF-8", 1007);
    }
  }
}
