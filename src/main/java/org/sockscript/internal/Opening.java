package org.sockscript.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;

/**
 * How a socket comes to be usable, and who hears about it: a script waiting in {@code open},
 * a listener expecting {@code connected}, or the listener of an {@code accept} expecting
 * {@code newConnection}. For secure opens it completes after the handshake.
 */
final class Opening {

  private final CompletableFuture<Void> waiter;
  private final String listenerName;
  private final InetSocketAddress address;
  private final long timeoutMillis;

  private Opening(CompletableFuture<Void> waiter, String listenerName,
      InetSocketAddress address, long timeoutMillis) {
    this.waiter = waiter;
    this.listenerName = listenerName;
    this.address = address;
    this.timeoutMillis = timeoutMillis;
  }

  /** An outbound open; {@code waiter} is null for the callback form. */
  static Opening connect(InetSocketAddress address, CompletableFuture<Void> waiter, long timeoutMillis) {
    return new Opening(waiter, null, address, timeoutMillis);
  }

  /** A connection accepted by the listener named {@code listenerName}. */
  static Opening accepted(String listenerName) {
    return new Opening(null, listenerName, null, 0);
  }

  void succeeded(Connection c) {
    if (waiter != null) {
      waiter.complete(null);
    } else if (listenerName != null) {
      c.events.newConnection(c.name, listenerName);
    } else {
      c.events.connected(c.name);
    }
  }

  void failed(Connection c, IOException failure) {
    if (waiter != null) {
      waiter.completeExceptionally(failure);
    } else {
      c.events.socketError(c.name, failure.getMessage());
    }
  }

  /** The script closed the socket before it opened: a waiting open fails; a listener hears nothing. */
  void cancelled(IOException closed) {
    if (waiter != null) {
      waiter.completeExceptionally(closed);
    }
  }

  /** The connect made no progress in time: a script gets the exception, a listener socketTimeout. */
  void timedOut(Connection c) {
    SocketTimeoutException timeout = new SocketTimeoutException("can't connect to host: "
        + c.name + " (" + SocketName.format(address) + ") did not answer within " + timeoutMillis + " ms");
    if (waiter != null) {
      waiter.completeExceptionally(timeout);
    } else {
      c.events.socketTimeout(c.name);
    }
  }

  IOException cannotConnect(IOException cause, InetSocketAddress from) {
    // A chosen local address is named: "Network is unreachable" from [::1] to an IPv4 host,
    // say, is the local address's doing. (A failure to bind names it already: LocalAddresses.bind.)
    String local = from == null || cause instanceof java.net.BindException ? "" : " from " + SocketName.format(from);
    ConnectException e = new ConnectException("can't connect to host: " + SocketName.format(address) + local + ": "
        + cause.getMessage());
    e.initCause(cause);
    return e;
  }
}
