package org.sockscript.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A registry's names: the open sockets and listeners in creation order, the {@link Tombstones}
 * of those the network ended, and whether the registry has closed. Names are keys compared
 * whole and case-insensitively ({@link SocketName#key}). One lock, this object, guards it all,
 * so a script closing a name and the loop burying it cannot both win.
 *
 * <p>How a verb finds its socket decides what it says about a name that ended: a blocking verb
 * is served by the ended connection, which answers with why it ended ({@link #connectionForIo});
 * a callback verb or {@code secure} throws why it ended ({@link #liveConnection}); only a name
 * never opened, closed by the script, or a listener, is misuse ({@link #connection}).
 */
final class SocketTable {

  private final LinkedHashMap<String, Endpoint> endpoints = new LinkedHashMap<>();
  private final Tombstones tombstones = new Tombstones();
  private boolean closed;

  /** Claims {@code endpoint}'s name; false if a socket of that name is open. */
  synchronized boolean register(Endpoint endpoint) {
    if (closed) {
      throw Failures.registryClosed();
    }
    String key = SocketName.key(endpoint.name());
    if (endpoints.putIfAbsent(key, endpoint) != null) {
      return false;
    }
    tombstones.clear(key);
    return true;
  }

  /**
   * As {@link #register}, for a connection a listener just accepted (loop thread): false, not an
   * exception, if the registry is closing — a close racing an accept is traffic, not misuse.
   */
  synchronized boolean registerAccepted(Connection c) {
    return !closed && register(c);
  }

  /** Whether the registry has begun closing (it never reopens). */
  synchronized boolean isClosed() {
    return closed;
  }

  /** The connection ended without the script closing it: keep it to answer later calls. */
  synchronized void bury(Connection connection) {
    String key = SocketName.key(connection.name);
    if (endpoints.remove(key, connection) && !connection.closeRequested) {
      tombstones.bury(key, connection); // (a socket the script is closing leaves no tombstone)
    }
  }

  /** Claims {@code endpoint}'s name, or throws {@code socket is already open}. */
  synchronized void claim(Endpoint endpoint) {
    if (!register(endpoint)) {
      throw new IllegalStateException("socket is already open: \"" + endpoint.name() + "\"");
    }
  }

  /** Releases {@code endpoint}'s name, if it still holds it. */
  synchronized void forget(Endpoint endpoint) {
    endpoints.remove(SocketName.key(endpoint.name()), endpoint);
  }

  /** The names of the open sockets and listeners, in the order they were made. */
  synchronized List<String> names() {
    List<String> names = new ArrayList<>();
    for (Endpoint e : endpoints.values()) {
      names.add(e.name());
    }
    return names;
  }

  /** The endpoint named {@code name}, or null; throws if the registry is closed. */
  synchronized Endpoint find(String name) {
    Args.notNull(name, "socket");
    if (closed) {
      throw Failures.registryClosed();
    }
    return endpoints.get(SocketName.key(name));
  }

  /** The live connection for a blocking verb; an ended socket's, which answers with its failure. */
  synchronized Connection connectionForIo(String name) {
    Connection ended = find(name) == null ? tombstones.get(SocketName.key(name)) : null;
    return ended != null ? ended : connection(name);
  }

  /**
   * The live connection for a verb; a name that ended because of the network throws what ended
   * it (an {@code IOException}, never a misuse error: a script cannot know a peer's timing).
   */
  synchronized Connection liveConnection(String name) throws IOException {
    Connection ended = find(name) == null ? tombstones.get(SocketName.key(name)) : null;
    if (ended != null) {
      throw Tombstones.failureOf(ended);
    }
    return connection(name);
  }

  /** The open connection named {@code name}, or an {@code IllegalStateException} saying why not. */
  synchronized Connection connection(String name) {
    Endpoint e = find(name);
    if (e == null) {
      Connection ended = tombstones.get(SocketName.key(name));
      throw new IllegalStateException("socket is not open: \"" + name + "\""
          + (ended == null ? "" : " (" + Tombstones.reason(ended) + ")"));
    }
    return asConnection(e);
  }

  /** {@code e} as a connection, or the misuse error naming what it is instead. */
  static Connection asConnection(Endpoint e) {
    if (!(e instanceof Connection)) {
      throw new IllegalStateException(e.notAConnection());
    }
    return (Connection) e;
  }

  /** As {@link #connectionForIo}, for the verbs a datagram socket serves too: any open endpoint. */
  synchronized Endpoint endpointForIo(String name) {
    Endpoint e = find(name);
    return e != null ? e : connectionForIo(name); // (an ended connection, or the not-open error)
  }

  /** As {@link #liveConnection}, for the verbs a datagram socket serves too. */
  synchronized Endpoint liveEndpoint(String name) throws IOException {
    Endpoint e = find(name);
    return e != null ? e : liveConnection(name);
  }

  /**
   * The script closes {@code name}: returns the endpoint to close, its name already free, or null
   * if the name had ended (closing it is how scripts tidy up). Under the lock that
   * {@link #bury} takes, so a hang-up met meanwhile leaves no tombstone behind.
   */
  synchronized Endpoint closeByScript(String name) {
    Endpoint e = find(name);
    if (e == null && tombstones.clear(SocketName.key(name))) {
      return null;
    }
    if (e == null) {
      throw new IllegalStateException("socket is not open: \"" + name + "\"");
    }
    if (e instanceof Connection) {
      ((Connection) e).closeRequested = true; // before the loop may meet the peer's hang-up
    }
    forget(e);
    return e;
  }

  /** An endpoint whose blocking open or accept was abandoned: its name is free at once, quietly. */
  synchronized void abandon(Endpoint e) {
    if (e instanceof Connection) {
      ((Connection) e).closeRequested = true; // no event: nobody expects to hear of it
    }
    forget(e);
  }

  /** The registry closes: every endpoint, for closing, or null if it had closed already. */
  synchronized List<Endpoint> closeAll() {
    if (closed) {
      return null;
    }
    closed = true;
    List<Endpoint> all = new ArrayList<>(endpoints.values());
    endpoints.clear();
    return all;
  }
}
