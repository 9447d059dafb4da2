package org.sockscript.websocket;

/** One WebSocket frame as read from the server (payload unmasked) or about to be sent. */
record Frame(boolean fin, int opcode, byte[] payload) {

  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  boolean isControl() {
    return (opcode & 0x8) != 0;
  }

  static String name(int opcode) {
    return switch (opcode) {
      case CONTINUATION -> "continuation";
      case TEXT -> "text";
      case BINARY -> "binary";
      case CLOSE -> "close";
      case PING -> "ping";
      case PONG -> "pong";
      default -> String.format("0x%X", opcode);
    };
  }
}
