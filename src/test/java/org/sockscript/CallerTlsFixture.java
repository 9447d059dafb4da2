package org.sockscript;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.sockscript.testing.CallerContexts;
import org.sockscript.testing.JdkTlsServer;
import org.sockscript.testing.TestPki;
import org.sockscript.testing.ThreadRecordingContext;

/**
 * A client registry whose TLS engines note the threads they run on (Conscrypt, behind the
 * caller's-context path), and a JDK TLS server per test: for the tests of TLS work done on the
 * script's own thread.
 */
abstract class CallerTlsFixture {

  final TestPki pki = TestPki.get();
  final SocketRegistry client = new SocketRegistry();
  final ThreadRecordingContext engines;
  private JdkTlsServer server;

  CallerTlsFixture() {
    try {
      engines = ThreadRecordingContext.around(CallerContexts.plainTrustManager("Conscrypt", pki));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    client.setSslContext(engines);
  }

  @AfterEach
  void closeAll() throws IOException {
    client.close();
    if (server != null) {
      server.close();
    }
  }

  /** A JDK TLS server for one connection, running {@code peer}; returns the socket name to open. */
  String serve(JdkTlsServer.Peer peer) throws IOException {
    if (server != null) {
      server.close();
    }
    server = JdkTlsServer.serve(pki, peer);
    return server.name();
  }
}
