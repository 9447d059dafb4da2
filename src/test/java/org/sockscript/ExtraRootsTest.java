package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.OpensslServer;
import org.sockscript.testing.TestPki;

/**
 * Trust that adds (issue 12, item 7): the JDK's roots plus given PEM files. The "system" roots are
 * a copy of the JDK's trust store with the test root added, set as {@code javax.net.ssl.trustStore}
 * for this class; the extra root is the test PKI's second root. No network.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExtraRootsTest {

  private static final String[] PROPERTIES = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType"};
  private static final String[] saved = new String[PROPERTIES.length];
  private static Path store;
  private final TestPki pki = TestPki.get();
  private SocketRegistry sockets;

  @BeforeAll
  static void systemRootsWithTheTestRoot() throws Exception {
    Path jdk = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    KeyStore roots = KeyStore.getInstance(jdk.toFile(), "changeit".toCharArray());
    int jdkRoots = roots.size();
    roots.setCertificateEntry("sockscript-test-root", TestPki.get().root());
    KeyStore copy = KeyStore.getInstance("PKCS12");
    copy.load(null, null);
    for (String alias : java.util.Collections.list(roots.aliases())) {
      copy.setCertificateEntry(alias, roots.getCertificate(alias));
    }
    store = Files.createTempFile("sockscript-cacerts", ".p12");
    try (OutputStream out = Files.newOutputStream(store)) {
      copy.store(out, "changeit".toCharArray());
    }
    assertThat(copy.size()).isEqualTo(jdkRoots + 1);
    for (int i = 0; i < PROPERTIES.length; i++) {
      saved[i] = System.getProperty(PROPERTIES[i]);
    }
    System.setProperty(PROPERTIES[0], store.toString());
    System.setProperty(PROPERTIES[1], "changeit");
    System.setProperty(PROPERTIES[2], "PKCS12");
  }

  @AfterAll
  static void restore() throws Exception {
    for (int i = 0; i < PROPERTIES.length; i++) {
      if (saved[i] == null) {
        System.clearProperty(PROPERTIES[i]);
      } else {
        System.setProperty(PROPERTIES[i], saved[i]);
      }
    }
    Files.deleteIfExists(store);
  }

  @BeforeEach
  void setUp() {
    sockets = new SocketRegistry();
  }

  @AfterEach
  void tearDown() {
    sockets.close();
  }

  @Test
  void extraCertificatesAddToTheSystemRoots() throws Exception {
    sockets.setExtraSslCertificates(List.of(pki.otherRootPem()));
    assertThat(sockets.sslCertificates()).containsExactly(pki.otherRootPem());
    assertThat(sockets.tlsOptions().rootsAddToSystem()).isTrue();
    try (OpensslServer systemRooted = start(pki.good()); OpensslServer extraRooted = start(pki.untrustedRoot())) {
      sockets.openSecure("localhost:" + systemRooted.port(), true, null);
      sockets.openSecure("localhost:" + extraRooted.port(), true, null);
      assertThat(sockets.tlsInfo("localhost:" + systemRooted.port()).verified()).isTrue();
      assertThat(sockets.tlsInfo("localhost:" + extraRooted.port()).verified()).isTrue();
    }
  }

  @Test
  void theSystemRootsAloneDoNotTrustTheExtraRoot() throws Exception {
    try (OpensslServer systemRooted = start(pki.good()); OpensslServer extraRooted = start(pki.untrustedRoot())) {
      sockets.openSecure("localhost:" + systemRooted.port(), true, null);
      assertThatThrownBy(() -> sockets.openSecure("localhost:" + extraRooted.port(), true, null))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void sslCertificatesStillReplaceTheSystemRoots() throws Exception {
    sockets.setSslCertificates(List.of(pki.otherRootPem()));
    try (OpensslServer systemRooted = start(pki.good())) {
      assertThatThrownBy(() -> sockets.openSecure("localhost:" + systemRooted.port(), true, null))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  private OpensslServer start(org.sockscript.testing.TestIdentity id) throws Exception {
    return OpensslServer.start(id.chainPem(), id.keyPem(), "-rev");
  }
}
