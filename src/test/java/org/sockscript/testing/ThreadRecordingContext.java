package org.sockscript.testing;

import java.nio.ByteBuffer;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} around another whose engines note which threads encrypt and decrypt
 * application data: the way a test sees where the library does its TLS work. Only the engine
 * calls are wrapped; everything else goes straight to the real engine.
 */
public final class ThreadRecordingContext extends SSLContext {

  /** Names of the threads that wrapped application bytes, and that unwrapped some. */
  public final Set<String> wrapThreads;
  public final Set<String> unwrapThreads;
  /** Runs before every wrap of application bytes (a test pauses a writer inside the engine so). */
  public volatile Runnable beforeWrap;
  /** Runs before each unwrap that has bytes to read, on the unwrapping thread (null: none). */
  public volatile Runnable beforeUnwrap;
  /** Arrays (by identity) that an unwrap decrypted into directly. */
  public final Set<byte[]> unwrappedIntoArrays;

  private ThreadRecordingContext(Spi spi, SSLContext real) {
    super(spi, real.getProvider(), real.getProtocol());
    this.wrapThreads = spi.wrapThreads;
    this.unwrapThreads = spi.unwrapThreads;
    this.unwrappedIntoArrays = spi.unwrappedIntoArrays;
  }

  public static ThreadRecordingContext around(SSLContext real) {
    Spi spi = new Spi(real);
    ThreadRecordingContext context = new ThreadRecordingContext(spi, real);
    spi.owner = context;
    return context;
  }

  private static final class Spi extends SSLContextSpi {
    final SSLContext real;
    ThreadRecordingContext owner;
    final Set<String> wrapThreads = ConcurrentHashMap.newKeySet();
    final Set<String> unwrapThreads = ConcurrentHashMap.newKeySet();
    final Set<byte[]> unwrappedIntoArrays = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    Spi(SSLContext real) {
      this.real = real;
    }

    @Override protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
      throw new KeyManagementException("initialise the wrapped context instead");
    }
    @Override protected SSLSocketFactory engineGetSocketFactory() { return real.getSocketFactory(); }
    @Override protected SSLServerSocketFactory engineGetServerSocketFactory() { return real.getServerSocketFactory(); }
    @Override protected SSLEngine engineCreateSSLEngine() { return new Recording(real.createSSLEngine(), this); }
    @Override protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return new Recording(real.createSSLEngine(host, port), this);
    }
    @Override protected SSLSessionContext engineGetServerSessionContext() { return real.getServerSessionContext(); }
    @Override protected SSLSessionContext engineGetClientSessionContext() { return real.getClientSessionContext(); }
    @Override protected SSLParameters engineGetDefaultSSLParameters() { return real.getDefaultSSLParameters(); }
    @Override protected SSLParameters engineGetSupportedSSLParameters() { return real.getSupportedSSLParameters(); }
  }

  /** Delegates every call; notes the thread of each wrap that consumed and unwrap that produced data. */
  private static final class Recording extends SSLEngine {
    private final SSLEngine e;
    private final Spi spi;

    Recording(SSLEngine e, Spi spi) {
      super(e.getPeerHost(), e.getPeerPort());
      this.e = e;
      this.spi = spi;
    }

    @Override public SSLEngineResult wrap(ByteBuffer[] srcs, int off, int len, ByteBuffer dst) throws SSLException {
      Runnable hook = spi.owner.beforeWrap;
      if (hook != null && srcs[off].hasRemaining()) {
        hook.run();
      }
      SSLEngineResult r = e.wrap(srcs, off, len, dst);
      if (r.bytesConsumed() > 0) {
        spi.wrapThreads.add(Thread.currentThread().getName());
      }
      return r;
    }
    @Override public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int off, int len) throws SSLException {
      Runnable hook = spi.owner.beforeUnwrap;
      if (hook != null && src.hasRemaining()) {
        hook.run();
      }
      SSLEngineResult r = e.unwrap(src, dsts, off, len);
      if (r.bytesProduced() > 0) {
        spi.unwrapThreads.add(Thread.currentThread().getName());
        for (int i = off; i < off + len; i++) {
          if (dsts[i].hasArray()) {
            synchronized (spi.unwrappedIntoArrays) {
              spi.unwrappedIntoArrays.add(dsts[i].array());
            }
          }
        }
      }
      return r;
    }
    @Override public Runnable getDelegatedTask() { return e.getDelegatedTask(); }
    @Override public void closeInbound() throws SSLException { e.closeInbound(); }
    @Override public boolean isInboundDone() { return e.isInboundDone(); }
    @Override public void closeOutbound() { e.closeOutbound(); }
    @Override public boolean isOutboundDone() { return e.isOutboundDone(); }
    @Override public String[] getSupportedCipherSuites() { return e.getSupportedCipherSuites(); }
    @Override public String[] getEnabledCipherSuites() { return e.getEnabledCipherSuites(); }
    @Override public void setEnabledCipherSuites(String[] s) { e.setEnabledCipherSuites(s); }
    @Override public String[] getSupportedProtocols() { return e.getSupportedProtocols(); }
    @Override public String[] getEnabledProtocols() { return e.getEnabledProtocols(); }
    @Override public void setEnabledProtocols(String[] p) { e.setEnabledProtocols(p); }
    @Override public SSLSession getSession() { return e.getSession(); }
    @Override public SSLSession getHandshakeSession() { return e.getHandshakeSession(); }
    @Override public void beginHandshake() throws SSLException { e.beginHandshake(); }
    @Override public SSLEngineResult.HandshakeStatus getHandshakeStatus() { return e.getHandshakeStatus(); }
    @Override public void setUseClientMode(boolean mode) { e.setUseClientMode(mode); }
    @Override public boolean getUseClientMode() { return e.getUseClientMode(); }
    @Override public void setNeedClientAuth(boolean need) { e.setNeedClientAuth(need); }
    @Override public boolean getNeedClientAuth() { return e.getNeedClientAuth(); }
    @Override public void setWantClientAuth(boolean want) { e.setWantClientAuth(want); }
    @Override public boolean getWantClientAuth() { return e.getWantClientAuth(); }
    @Override public void setEnableSessionCreation(boolean flag) { e.setEnableSessionCreation(flag); }
    @Override public boolean getEnableSessionCreation() { return e.getEnableSessionCreation(); }
    @Override public SSLParameters getSSLParameters() { return e.getSSLParameters(); }
    @Override public void setSSLParameters(SSLParameters p) { e.setSSLParameters(p); }
    @Override public String getApplicationProtocol() { return e.getApplicationProtocol(); }
    @Override public String getHandshakeApplicationProtocol() { return e.getHandshakeApplicationProtocol(); }
  }
}
