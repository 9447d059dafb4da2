package org.sockscript.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * LiveCode's lookup functions: {@code hostAddressToName} (reverse DNS), the callback form of
 * {@code hostNameToAddress}, and {@code hostName}. Lookups may take seconds, so none runs on an
 * I/O thread; the callback form runs its lookup on a thread of its own.
 */
public final class Lookups {

  private Lookups() {}

  /** The name of {@code ip} by reverse lookup, confirmed by a forward lookup (the JDK's rule). */
  public static String addressToName(String ip) throws UnknownHostException {
    String bare = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
    if (!HostLookup.isIpLiteral(bare)) {
      throw new IllegalArgumentException("not an IP address: \"" + ip + "\" (hostAddressToName takes an address"
          + " such as 127.0.0.1 or ::1; hostNameToAddress looks names up)");
    }
    EventLoop.refuseWaitOnLoop("hostAddressToName(\"" + ip + "\")");
    InetAddress address = InetAddress.getByName(bare);
    String name = address.getCanonicalHostName();
    if (name.equals(address.getHostAddress()) || HostLookup.isIpLiteral(name)) {
      throw new UnknownHostException("invalid host address: " + ip + " has no name (no reverse DNS entry,"
          + " or one whose name does not map back to it)");
    }
    return name;
  }

  /**
   * Looks {@code host} up on a thread of its own, then calls {@code callback(host, addresses)} on
   * {@code events}; an empty list if it cannot be resolved (LiveCode's form).
   */
  public static void nameToAddressLater(String host, Executor events, BiConsumer<String, List<String>> callback) {
    Thread lookup = new Thread(() -> {
      List<String> found;
      try {
        found = HostLookup.allAddresses(host);
      } catch (UnknownHostException e) {
        found = List.of();
      }
      List<String> answer = found;
      events.execute(() -> callback.accept(host, answer));
    }, "sockscript-lookup-" + host);
    lookup.setDaemon(true);
    lookup.start();
  }

  /**
   * This machine's name as the OS has it ({@code gethostname}), not a reverse lookup. The JDK's
   * {@code getLocalHost} also looks the name up forward (DNS, if the name is not in /etc/hosts);
   * a name that does not resolve is taken from its exception's message.
   */
  public static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      // The name exists but does not resolve: the JDK's message starts with it ("box: box: ...").
      String message = String.valueOf(e.getMessage());
      int colon = message.indexOf(':');
      return colon > 0 ? message.substring(0, colon) : "localhost";
    }
  }
}
