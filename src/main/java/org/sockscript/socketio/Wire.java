package org.sockscript.socketio;

import org.sockscript.internal.PeerText;

/** Packet text quoted for an error message: control characters escaped, long text cut ({@link PeerText#shorten}). */
final class Wire {

  private Wire() {}

  static String quote(String text) {
    return "\"" + PeerText.shorten(text) + "\"";
  }
}
