package org.sockscript.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turning a socket name's host into an address, with LiveCode's wording when it cannot. */
public final class HostLookup {

  private HostLookup() {}

  /** An IPv4 or IPv6 literal, which {@link InetAddress#getByName} turns into an address without a lookup. */
  static boolean isIpLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return true; // names only carry an IPv6 host in brackets
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (!part.matches("[0-9]{1,3}") || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  /** The address of {@code host}; may block on DNS, so never call it on the loop. */
  static InetAddress resolve(String host) throws UnknownHostException {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      UnknownHostException named = new UnknownHostException("can't resolve hostname: " + host);
      named.initCause(e);
      throw named;
    }
  }

  /** Every address of {@code host}, as text. Example: {@code allAddresses("localhost")}. */
  public static java.util.List<String> allAddresses(String host) throws UnknownHostException {
    EventLoop.refuseWaitOnLoop("hostNameToAddress(\"" + host + "\")"); // a lookup may take seconds
    java.util.List<String> out = new java.util.ArrayList<>();
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        out.add(a.getHostAddress());
      }
    } catch (UnknownHostException e) {
      UnknownHostException named = new UnknownHostException("can't resolve hostname: " + host);
      named.initCause(e);
      throw named;
    }
    return out;
  }
}
