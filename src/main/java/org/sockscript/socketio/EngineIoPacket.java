package org.sockscript.socketio;

import org.sockscript.internal.PeerText;

/**
 * An Engine.IO 4 packet as a WebSocket text message carries it: one type digit, then the data
 * ({@code 0} open, {@code 1} close, {@code 2} ping, {@code 3} pong, {@code 4} message, {@code 5}
 * upgrade, {@code 6} noop).
 */
record EngineIoPacket(char type, String data) {

  static final char OPEN = '0';
  static final char CLOSE = '1';
  static final char PING = '2';
  static final char PONG = '3';
  static final char MESSAGE = '4';
  static final char UPGRADE = '5';
  static final char NOOP = '6';

  static EngineIoPacket decode(String text) throws SocketIoProtocolException {
    if (text.isEmpty()) {
      throw new SocketIoProtocolException("an empty Engine.IO packet (expected a type digit 0-6 first)");
    }
    char type = text.charAt(0);
    if (type < OPEN || type > NOOP) {
      throw new SocketIoProtocolException("an Engine.IO packet of unknown type '" + PeerText.shorten(String.valueOf(type))
          + "' (expected a digit 0-6): " + Wire.quote(text));
    }
    return new EngineIoPacket(type, text.substring(1));
  }

  String encode() {
    return type + data;
  }
}
