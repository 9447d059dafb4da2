package org.sockscript.internal.datagram;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.sockscript.internal.SocketName;

/** The words for datagram failures: LiveCode's ("error sending datagram"), with the evidence. */
final class DatagramFailures {

  private DatagramFailures() {}

  /** A send failed; a refused broadcast says which setting allows it. */
  static IOException sending(InetSocketAddress to, boolean broadcasts, IOException e) {
    if (e instanceof java.net.SocketTimeoutException) {
      return e;
    }
    IOException named = new IOException("error sending datagram to " + SocketName.format(to) + ": "
        + e.getMessage() + hint(broadcasts, e));
    named.initCause(e);
    return named;
  }

  /** Why receiving failed, for a socketError. */
  static String receiving(String name, IOException e) {
    return "error receiving datagram on " + name + ": " + e;
  }

  /** Linux refuses a broadcast with EACCES unless SO_BROADCAST is on. */
  private static String hint(boolean broadcasts, IOException e) {
    return !broadcasts && String.valueOf(e.getMessage()).contains("Permission denied")
        ? " (a broadcast address? broadcasts are off: setAllowDatagramBroadcasts(true) allows them)" : "";
  }
}
