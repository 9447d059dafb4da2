package org.sockscript.internal.tls;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import javax.net.ssl.SSLEngine;

/**
 * Whether a finished handshake resumed a session. JSSE has no such question; BoringSSL has
 * ({@code SSL_session_reused}), and Conscrypt binds it without making it public. This asks it
 * through reflection, as {@link ConscryptContexts} reads other engine internals: the engine's
 * {@code NativeSsl} holder and its address, then {@code NativeCrypto.SSL_session_reused}. Where
 * that fails (another provider, other internals) the answer is false: "not known to be resumed".
 */
final class SessionReuse {

  /** Looked up at the first Conscrypt engine, never before: loading NativeCrypto loads BoringSSL. */
  private static volatile Method reused;
  private static volatile boolean looked;

  private SessionReuse() {}

  static boolean resumed(SSLEngine engine) {
    try {
      if (!TlsProviders.isConscrypt(engine)) {
        return false;
      }
      if (!looked) {
        reused = lookUp();
        looked = true;
      }
      Method m = reused;
      if (m == null) {
        return false;
      }
      Object holder = field(ConscryptContexts.engineBehind(engine), "ssl");
      long address = (Long) field(holder, "ssl");
      return address != 0 && (Boolean) m.invoke(null, address, holder);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static Method lookUp() {
    try {
      Class<?> holder = Class.forName("org.conscrypt.NativeSsl");
      Method m = Class.forName("org.conscrypt.NativeCrypto")
          .getDeclaredMethod("SSL_session_reused", long.class, holder);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static Object field(Object target, String name) throws ReflectiveOperationException {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
      } catch (NoSuchFieldException next) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(target.getClass().getName() + "." + name);
  }
}
