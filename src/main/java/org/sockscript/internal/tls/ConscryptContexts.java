package org.sockscript.internal.tls;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.conscrypt.Conscrypt;

/**
 * Makes a caller's Conscrypt {@link SSLContext} verify TLS 1.3 servers with the JDK's trust
 * manager.
 *
 * <p>The problem: Conscrypt hands a trust manager the auth type BoringSSL names for the cipher
 * suite, which for every TLS 1.3 suite is {@code "GENERIC"}; the JDK's PKIX trust manager knows
 * that case as {@code "UNKNOWN"} and refuses the other ({@code Unknown authType: GENERIC}), so
 * such a context can never complete a TLS 1.3 handshake as a client. Conscrypt has no per-engine
 * way to change the trust manager, and an {@code SSLContext} does not show the managers it was
 * made with.
 *
 * <p>The way out: Conscrypt keeps them in its engines' parameters, which its classes leave open
 * to reflection. This reads them from one throwaway engine and builds a sibling context of the
 * same provider with the same key manager and the same trust manager behind
 * {@link GenericAuthTypeTrustManager}, which passes the trust manager the JDK's name when it refuses
 * Conscrypt's. Everything else the caller's trust manager decides stays its decision. What the
 * sibling does not share: the caller's session caches and settings made on the context after
 * {@code init}. If Conscrypt's internals ever differ, the caller's context is used as it is.
 */
final class ConscryptContexts {

  private ConscryptContexts() {}

  /** The context verified clients should use: {@code context} itself, or its sibling. */
  static SSLContext forVerifiedClients(SSLContext context) {
    try {
      if (!Conscrypt.isConscrypt(context)) {
        return context;
      }
    } catch (LinkageError e) {
      return context; // no Conscrypt classes: cannot be a Conscrypt context
    }
    SSLEngine probe = context.createSSLEngine();
    try {
      Object params = field(engineBehind(probe), "sslParameters");
      X509TrustManager trust = (X509TrustManager) call(params, "getX509TrustManager");
      X509KeyManager keys = (X509KeyManager) call(params, "getX509KeyManager");
      if (trust == null) {
        return context;
      }
      SSLContext sibling = SSLContext.getInstance(context.getProtocol(), context.getProvider());
      sibling.init(keys == null ? null : new KeyManager[] {keys},
          new TrustManager[] {new GenericAuthTypeTrustManager(trust)}, null);
      return sibling;
    } catch (ReflectiveOperationException | RuntimeException | java.security.GeneralSecurityException e) {
      return context; // as given: TLS 1.2 works, TLS 1.3 fails with the trust manager's words
    } finally {
      probe.closeOutbound();
      try {
        probe.closeInbound();
      } catch (javax.net.ssl.SSLException never) {
        // the probe never handshook
      }
    }
  }

  /** Conscrypt wraps its engine for Java 8+ APIs: the engine with the parameters is its delegate. */
  static Object engineBehind(SSLEngine engine) throws ReflectiveOperationException {
    Object e = engine;
    for (int i = 0; i < 3 && fieldOf(e.getClass(), "sslParameters") == null; i++) {
      e = field(e, "delegate");
    }
    return e;
  }

  /** {@code target}'s field {@code name}, declared in its class or a superclass. */
  static Object field(Object target, String name) throws ReflectiveOperationException {
    Field f = fieldOf(target.getClass(), name);
    if (f == null) {
      throw new NoSuchFieldException(target.getClass().getName() + "." + name);
    }
    f.setAccessible(true);
    return f.get(target);
  }

  private static Field fieldOf(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getName().equals(name)) {
          return f;
        }
      }
    }
    return null;
  }

  private static Object call(Object target, String method) throws ReflectiveOperationException {
    Method m = target.getClass().getDeclaredMethod(method);
    m.setAccessible(true);
    return m.invoke(target);
  }
}
