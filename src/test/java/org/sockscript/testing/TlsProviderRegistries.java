package org.sockscript.testing;

import org.sockscript.SocketRegistry;
import org.sockscript.internal.tls.TlsProviders;

/**
 * Registries on a named TLS provider. The provider is chosen when a registry is made; the JDK's
 * one ({@code "SunJSSE"}) is chosen the way a user forces it, with
 * {@code -Dsockscript.conscrypt=disabled}, set only while the registry is made.
 */
public final class TlsProviderRegistries {

  private TlsProviderRegistries() {}

  /** A new registry on {@code provider}: {@code "Conscrypt"} or {@code "SunJSSE"}. */
  public static synchronized SocketRegistry on(String provider) {
    if (!provider.equals("SunJSSE")) {
      return new SocketRegistry();
    }
    System.setProperty(TlsProviders.DISABLE_PROPERTY, "disabled");
    try {
      return new SocketRegistry();
    } finally {
      System.clearProperty(TlsProviders.DISABLE_PROPERTY);
    }
  }
}
