package org.sockscript.internal.tls;

import java.security.Provider;
import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the TLS provider: Conscrypt (BoringSSL) when its native library loads, else the JDK's
 * own, announced by one WARN line per JVM. The only place, with its package, that imports
 * {@code org.conscrypt}.
 *
 * <p>{@code -Dsockscript.conscrypt=disabled} forces the JDK provider, as if Conscrypt's native
 * library could not load (for tests of the fallback, and for platforms without the natives).
 */
public final class TlsProviders {

  /** The system property that, set to {@code disabled}, forces the JDK provider. */
  public static final String DISABLE_PROPERTY = "sockscript.conscrypt";

  private static final Logger log = LoggerFactory.getLogger(TlsProviders.class);
  private static final Object LOCK = new Object();
  private static Provider conscrypt;
  private static boolean probed;
  private static boolean warned;

  private TlsProviders() {}

  /** The provider to use now: Conscrypt, or null for the JDK default. */
  static Provider choose() {
    boolean disabled = "disabled".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY));
    synchronized (LOCK) {
      if (!probed && !disabled) {
        probed = true;
        Object why = null;
        try {
          if (Conscrypt.isAvailable()) {
            conscrypt = Conscrypt.newProviderBuilder().provideTrustManager(false).build();
          } else {
            why = Conscrypt.class.getName() + ".isAvailable() returned false";
          }
        } catch (Throwable t) {
          why = t;
        }
        if (why != null) {
          warnOnce("Conscrypt's native library could not be loaded (" + why
              + "); using the JDK's TLS provider instead");
        }
      }
      if (disabled) {
        warnOnce("Conscrypt disabled by -D" + DISABLE_PROPERTY + "=disabled; using the JDK's TLS provider");
        return null;
      }
      return conscrypt;
    }
  }

  private static void warnOnce(String message) {
    if (!warned) {
      warned = true;
      log.warn("sockscript: {}", message);
    }
  }

  /**
   * Whether {@code engine} is Conscrypt's, without touching Conscrypt's classes for another
   * provider's engine (their first use loads BoringSSL, which the JDK 24+ warns of, and which
   * {@code -Dsockscript.conscrypt=disabled} is there to avoid).
   */
  static boolean isConscrypt(javax.net.ssl.SSLEngine engine) {
    try {
      return engine.getClass().getName().startsWith("org.conscrypt.") && Conscrypt.isConscrypt(engine);
    } catch (LinkageError e) {
      return false;
    }
  }
}
