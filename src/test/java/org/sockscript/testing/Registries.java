package org.sockscript.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sockscript.SocketRegistry;

/**
 * Registries for one test, closed after it: register it as a field and take registries from it
 * in field initialisers, instead of a set-up and tear-down pair in every class.
 *
 * <pre>{@code
 * @RegisterExtension final Registries registries = new Registries();
 * private final SocketRegistry sockets = registries.trustingTestRoot();
 * }</pre>
 */
public final class Registries implements AfterEachCallback {

  private final List<SocketRegistry> made = new ArrayList<>();

  /** A registry that trusts only the test PKI's root. */
  public SocketRegistry trustingTestRoot() {
    SocketRegistry r = add(new SocketRegistry());
    try {
      r.setSslCertificates(List.of(TestPki.get().rootPem()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return r;
  }

  /** A registry with the test PKI's good server identity, trusting its root. */
  public SocketRegistry serving() {
    SocketRegistry r = trustingTestRoot();
    try {
      r.setServerIdentity(TestPki.get().good().chainPem(), TestPki.get().good().keyPem());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return r;
  }

  /** {@code r}, closed after the test. */
  public synchronized SocketRegistry add(SocketRegistry r) {
    made.add(r);
    return r;
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    made.forEach(SocketRegistry::close);
    made.clear();
  }
}
