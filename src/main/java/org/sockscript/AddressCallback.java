package org.sockscript;

import java.util.List;

/**
 * The answer to {@link SocketRegistry#hostNameToAddress(String, AddressCallback)}: the host name
 * asked about and its addresses, empty if it could not be resolved. Runs as a listener call does.
 *
 * <pre>{@code
 * sockets.hostNameToAddress("localhost", (host, addresses) -> System.out.println(host + " = " + addresses));
 * }</pre>
 */
@FunctionalInterface
public interface AddressCallback {

  /**
   * The lookup is done. Example: {@code (host, addresses) -> System.out.println(addresses.isEmpty() ? "unknown" : addresses.get(0))}
   *
   * @param hostName the name that was looked up
   * @param addresses its addresses as text ({@code "127.0.0.1"}, {@code "::1"}), empty if none
   */
  void resolved(String hostName, List<String> addresses);
}
