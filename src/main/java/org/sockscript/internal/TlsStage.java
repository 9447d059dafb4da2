package org.sockscript.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.sockscript.TlsInfo;

/**
 * The TLS transport stage of one connection: an {@link SSLEngine} between the socket's bytes and
 * the script's. Network input that arrives before the handshake may start (while plaintext
 * writes queued before {@code secure} are still going out) is held, never handed to the script.
 * Buffers are allocated on demand and dropped when empty, so an idle secure socket pins none.
 * Loop thread only.
 */
final class TlsStage {

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  private static final int BATCH = 64 * 1024;

  private final SSLEngine engine;
  private final boolean verified;
  private final String verifiedHost;
  private final ByteBuffer appScratch;
  private ByteBuffer netIn;   // write mode: bytes from the network not yet unwrapped
  private ByteBuffer netOut;  // write mode: TLS records not yet written to the socket
  private boolean started;
  private boolean done;
  private boolean closeNotifyReceived;

  TlsStage(SSLEngine engine, boolean verified, String verifiedHost, ByteBuffer appScratch) {
    this.engine = engine;
    this.verified = verified;
    this.verifiedHost = verifiedHost;
    this.appScratch = appScratch;
  }

  boolean started() {
    return started;
  }

  /** The handshake has completed. */
  boolean done() {
    return done;
  }

  boolean handshaking() {
    return started && !done;
  }

  boolean closeNotifyReceived() {
    return closeNotifyReceived;
  }

  int bufferedInput() {
    return netIn == null ? 0 : netIn.position();
  }

  /** Holds {@code bytes} as TLS input: the unread bytes of the socket when secure was called. */
  void hold(byte[] bytes) {
    if (bytes.length > 0) {
      append(ByteBuffer.wrap(bytes));
    }
  }

  /** Starts the handshake, then consumes whatever input is already held. */
  void begin(InboundBuffer app) throws SSLException {
    started = true;
    engine.beginHandshake();
    pump(app);
  }

  /** Takes network bytes; once started, decrypts what it can into {@code app}. */
  void receive(ByteBuffer net, InboundBuffer app) throws SSLException {
    append(net);
    if (started) {
      pump(app);
    }
  }

  /** Encrypts up to a batch of {@code src} into pending output. */
  void wrapApplication(ByteBuffer src) throws SSLException {
    while (src.hasRemaining() && (netOut == null || netOut.position() < BATCH)) {
      if (!wrap(src)) {
        return;
      }
    }
  }

  /** Queues a close_notify alert. */
  void closeOutbound() throws SSLException {
    engine.closeOutbound();
    if (started) {
      while (!engine.isOutboundDone()) {
        if (!wrap(EMPTY)) {
          return;
        }
      }
    }
  }

  /**
   * After a failure: lets the engine produce its alert (for example "certificate required") and
   * makes one non-blocking attempt to send it, so the peer learns why instead of seeing a bare
   * TCP close. Best effort: errors are ignored, the socket is failing anyway.
   */
  void sendAlert(ConnectionChannel channel) {
    try {
      engine.closeOutbound();
      for (int i = 0; i < 4 && !engine.isOutboundDone() && wrap(EMPTY); i++) {
        // collect the alert records
      }
      if (hasOutput() && channel.isConnected()) {
        writeTo(channel.raw());
      }
    } catch (IOException | RuntimeException e) {
      // nothing more to say
    }
  }

  @Override
  public String toString() {
    return (!started ? "upgrading" : done ? "secure" : "handshaking") + " tlsIn=" + bufferedInput()
        + " tlsOut=" + hasOutput();
  }

  boolean hasOutput() {
    return netOut != null && netOut.position() > 0;
  }

  /** Writes pending TLS records; returns true when all of them went out. */
  boolean writeTo(SocketChannel channel) throws IOException {
    netOut.flip();
    try {
      channel.write(netOut);
    } finally {
      netOut.compact();
    }
    if (netOut.position() == 0) {
      netOut = null;
      return true;
    }
    return false;
  }

  /**
   * Runs the handshake and decryption as far as the held input allows: wraps while the engine
   * has something to send, unwraps while input is held, and stops when neither makes progress.
   */
  private void pump(InboundBuffer app) throws SSLException {
    while (true) {
      HandshakeStatus status = engine.getHandshakeStatus();
      if (status == HandshakeStatus.NEED_TASK) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
          task.run();
        }
        continue;
      }
      boolean progressed = status == HandshakeStatus.NEED_WRAP && wrap(EMPTY);
      if (engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
        done = true;
      }
      if (!closeNotifyReceived && netIn != null && netIn.position() > 0) {
        progressed |= unwrap(app);
      }
      if (!progressed) {
        return;
      }
    }
  }

  private boolean unwrap(InboundBuffer app) throws SSLException {
    netIn.flip();
    SSLEngineResult result;
    try {
      appScratch.clear();
      result = engine.unwrap(netIn, appScratch);
    } finally {
      netIn.compact();
    }
    if (netIn.position() == 0) {
      netIn = null;
    }
    appScratch.flip();
    if (appScratch.hasRemaining()) {
      app.append(appScratch);
    }
    noteFinished(result);
    switch (result.getStatus()) {
      case BUFFER_UNDERFLOW:
        ensureInputRoom(engine.getSession().getPacketBufferSize());
        return false;
      case BUFFER_OVERFLOW:
        if (result.bytesProduced() == 0) {
          throw new SSLException("TLS record larger than " + appScratch.capacity() + " bytes");
        }
        return true; // the scratch was full and has been emptied into app: go on
      case CLOSED:
        closeNotifyReceived = true;
        return false;
      default:
        return result.bytesConsumed() > 0 || result.bytesProduced() > 0;
    }
  }

  private boolean wrap(ByteBuffer src) throws SSLException {
    if (netOut == null) {
      netOut = ByteBuffer.allocate(Math.max(BATCH, engine.getSession().getPacketBufferSize()) + 1024);
    } else if (netOut.remaining() < engine.getSession().getPacketBufferSize()) {
      netOut = grow(netOut, netOut.capacity() * 2);
    }
    SSLEngineResult result = engine.wrap(src, netOut);
    noteFinished(result);
    if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
      netOut = grow(netOut, netOut.capacity() * 2);
      return true;
    }
    return result.getStatus() == SSLEngineResult.Status.OK
        && (result.bytesConsumed() > 0 || result.bytesProduced() > 0);
  }

  private void noteFinished(SSLEngineResult result) {
    if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
      done = true;
    }
  }

  private void append(ByteBuffer src) {
    ensureInputRoom(src.remaining());
    netIn.put(src);
  }

  private void ensureInputRoom(int n) {
    if (netIn == null) {
      netIn = ByteBuffer.allocate(Math.max(n, 16 * 1024 + 512));
    } else if (netIn.remaining() < n) {
      netIn = grow(netIn, Math.max(netIn.capacity() * 2, netIn.position() + n));
    }
  }

  private static ByteBuffer grow(ByteBuffer buffer, int capacity) {
    ByteBuffer bigger = ByteBuffer.allocate(capacity);
    buffer.flip();
    bigger.put(buffer);
    return bigger;
  }

  /** What the finished handshake agreed. */
  TlsInfo info(String provider) {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate c : engine.getSession().getPeerCertificates()) {
        chain.add((X509Certificate) c);
      }
    } catch (SSLPeerUnverifiedException e) {
      // the peer sent no certificate (a client, usually): the chain stays empty
    }
    return new TlsInfo(engine.getSession().getProtocol(), engine.getSession().getCipherSuite(),
        chain, verified, verifiedHost, provider);
  }

  /** Releases the engine (Conscrypt frees its native state once both directions are closed). */
  void free() {
    engine.closeOutbound();
    try {
      engine.closeInbound();
    } catch (SSLException e) {
      // no close_notify from the peer: expected when we are the ones closing
    }
    netIn = null;
    netOut = null;
  }
}
