package org.sockscript.internal;

import java.io.IOException;
import org.sockscript.TlsOptions;
import org.sockscript.internal.tls.TlsConfig;
import org.sockscript.internal.tls.TlsEngine;

/**
 * Makes the TLS stages of one registry's connections from its {@link TlsConfig}: a client's (with
 * the registry's options, a call's own, or another socket's session to resume) and a server's.
 */
final class TlsStages {

  private final SocketCore core;
  private final TlsConfig tls;
  private final TlsScratch scratch;

  TlsStages(SocketCore core, TlsConfig tls, TlsScratch scratch) {
    this.core = core;
    this.tls = tls;
    this.scratch = scratch;
  }

  /** A client's stage; {@code call} (null: the registry's options) or {@code resumeOf}, a socket whose session it offers. */
  TlsStage client(SocketName target, boolean verify, String verificationHost, TlsOptions call,
      String resumeOf) throws IOException {
    if (resumeOf != null) {
      return new TlsStage(tls.clientEngineResuming(sessionOf(resumeOf)), scratch);
    }
    return new TlsStage(tls.clientEngine(verificationHost, target.host(), target.port(), verify, call), scratch);
  }

  /**
   * The engine of {@code name}'s finished handshake: the session to resume. A socket the network
   * ended throws why it ended (an IOException, as every verb on its name does); one never opened
   * or closed by the script is misuse.
   */
  private TlsEngine sessionOf(String name) throws IOException {
    Connection c = core.table.liveConnection(name);
    Upgrade u = c.upgrade;
    if (u == null || !u.secured.isDone() || u.secured.isCompletedExceptionally()) {
      throw new IllegalStateException("cannot resume the session of \"" + name + "\": it is not secure"
          + (u == null ? "" : " yet (its handshake has not finished)"));
    }
    return u.stage.spec();
  }

  /** A secure listener's: settings refusing a server now fail the connection, not the loop. */
  TlsStage listening(TlsOptions options) {
    try {
      return server(options);
    } catch (IllegalStateException refused) {
      return TlsStage.refusing(refused.getMessage(), scratch);
    }
  }

  /** {@code secure} on an accepted socket: settings refusing a server throw, before any I/O. */
  TlsStage server(TlsOptions call) {
    return new TlsStage(tls.serverEngine(call), scratch);
  }
}
