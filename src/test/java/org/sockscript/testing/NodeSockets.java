package org.sockscript.testing;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sockscript.SocketRegistry;

/**
 * A test's registry and the Node peers it talks to: skips the test when node or the npm packages
 * are missing, and closes the peers and the registry after it.
 *
 * <pre>{@code
 * @RegisterExtension final NodeSockets node = new NodeSockets();
 * NodePeer server = node.start("server.js", config);
 * node.sockets().open("127.0.0.1:" + server.port());
 * }</pre>
 */
public final class NodeSockets implements BeforeEachCallback, AfterEachCallback {

  private final List<NodePeer> peers = new ArrayList<>();
  private SocketRegistry sockets;

  @Override
  public void beforeEach(ExtensionContext context) {
    NodePeer.assumeInstalled();
    sockets = new SocketRegistry();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    peers.forEach(NodePeer::close);
    peers.clear();
    if (sockets != null) { // null when the test was skipped for want of node
      sockets.close();
      sockets = null;
    }
  }

  public SocketRegistry sockets() {
    return sockets;
  }

  /** Starts a Node peer that is closed after the test. */
  public NodePeer start(String script, JsonObject config) throws IOException, InterruptedException {
    NodePeer peer = NodePeer.start(script, config);
    peers.add(peer);
    return peer;
  }
}
