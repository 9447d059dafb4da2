package org.sockscript.internal;

/**
 * A verb for connections met a name that is something else (a listener, a datagram socket): the
 * misuse error, carrying the endpoint so that the verbs a datagram socket does serve (write) can
 * catch it and use the endpoint — at no cost to a connection's path.
 */
final class NotAConnection extends IllegalStateException {

  private static final long serialVersionUID = 1L;
  final transient Endpoint endpoint;

  NotAConnection(Endpoint endpoint) {
    super(endpoint.notAConnection());
    this.endpoint = endpoint;
  }
}
