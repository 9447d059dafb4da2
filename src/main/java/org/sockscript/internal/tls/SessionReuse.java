package org.sockscript.internal.tls;

import java.lang.reflect.Method;
import javax.net.ssl.SSLEngine;

/**
 * Whether a finished handshake resumed a session. JSSE has no such question; BoringSSL has
 * ({@code SSL_session_reused}), and Conscrypt binds it without making it public. This asks it
 * through reflection, as {@link ConscryptContexts} reads other engine internals: the engine's
 * {@code NativeSsl} holder and its address, then {@code NativeCrypto.SSL_session_reused}. Where
 * that fails (another provider, other internals) the answer is false: "not known to be resumed".
 *
 * <p>It also lets a TLS 1.3 server's session tickets go ({@link #releaseTickets}): BoringSSL keeps
 * them back until the server's first {@code SSL_write} (so that a client that never reads cannot
 * stall a server's write), and a zero-byte write is its documented way to send them. Conscrypt's
 * {@code wrap} of no data never calls {@code SSL_write}, so a server that never writes would give
 * no ticket and no client could resume; this makes the zero-byte write through the engine's
 * {@code NativeSsl}, as Conscrypt's own {@code wrap} writes.
 */
final class SessionReuse {

  /** Looked up at the first Conscrypt engine, never before: loading NativeCrypto loads BoringSSL. */
  private static volatile Method reused;
  private static volatile Method write;
  private static volatile boolean looked;

  private SessionReuse() {}

  static boolean resumed(SSLEngine engine) {
    try {
      Object holder = nativeSsl(engine);
      Method m = reused;
      if (holder == null || m == null) {
        return false;
      }
      long address = (Long) ConscryptContexts.field(holder, "ssl");
      return address != 0 && (Boolean) m.invoke(null, address, holder);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * A Conscrypt server engine whose handshake has just finished: has BoringSSL write the tickets
   * it holds back to the engine's network buffer, where the next {@code wrap} finds them. True if
   * it did (the caller then wraps); false for another provider, or if the write failed.
   */
  static boolean releaseTickets(SSLEngine engine) {
    try {
      Object holder = nativeSsl(engine);
      Method m = write;
      if (holder == null || m == null) {
        return false;
      }
      synchronized (holder) { // the lock Conscrypt's engine takes around its own SSL_write
        return (Integer) m.invoke(holder, 0L, 0) >= 0;
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** The engine's {@code NativeSsl} (Conscrypt's holder of the SSL object), or null for another provider. */
  private static Object nativeSsl(SSLEngine engine) throws ReflectiveOperationException {
    if (!TlsProviders.isConscrypt(engine)) {
      return null;
    }
    lookUpOnce();
    return ConscryptContexts.field(ConscryptContexts.engineBehind(engine), "ssl");
  }

  private static void lookUpOnce() {
    if (!looked) {
      try {
        Class<?> holder = Class.forName("org.conscrypt.NativeSsl");
        reused = method(Class.forName("org.conscrypt.NativeCrypto"), "SSL_session_reused", long.class, holder);
        write = method(holder, "writeDirectByteBuffer", long.class, int.class);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        // not the Conscrypt internals known here: both stay null
      }
      looked = true;
    }
  }

  private static Method method(Class<?> type, String name, Class<?>... parameters) {
    try {
      Method m = type.getDeclaredMethod(name, parameters);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
