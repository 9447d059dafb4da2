package org.sockscript.bench;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The throwaway PKI of one bench run: an EC P-256 CA and an EC P-256 leaf for {@code localhost}
 * and {@code 127.0.0.1}, made at run time into a temporary folder (never committed), and loaded
 * from there by every bench process.
 */
final class Pki {

  static final String HOST = "localhost";

  final Path dir;
  final Path caPem;
  final Path chainPem;
  final Path keyPem;
  final X509Certificate ca;
  final X509Certificate leaf;
  final PrivateKey key;

  private Pki(Path dir) throws IOException, GeneralSecurityException {
    this.dir = dir;
    caPem = dir.resolve("ca.pem");
    chainPem = dir.resolve("chain.pem");
    keyPem = dir.resolve("key.pem");
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    try (InputStream in = Files.newInputStream(caPem)) {
      ca = (X509Certificate) cf.generateCertificate(in);
    }
    try (InputStream in = Files.newInputStream(chainPem)) {
      leaf = (X509Certificate) cf.generateCertificate(in);
    }
    String pem = Files.readString(keyPem);
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
  }

  /** The PKI of this run, from the folder named by {@code -Dbench.pki}. */
  static Pki load() throws Exception {
    String dir = System.getProperty("bench.pki");
    if (dir == null) {
      throw new IllegalStateException("-Dbench.pki=<folder> not set (bench/run sets it)");
    }
    return new Pki(Path.of(dir));
  }

  /** Makes a CA and a leaf (both EC P-256, ECDSA-SHA256) into {@code dir}. */
  static void generate(Path dir) throws Exception {
    KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
    kpg.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair caKeys = kpg.generateKeyPair();
    KeyPair leafKeys = kpg.generateKeyPair();
    Date from = new Date(System.currentTimeMillis() - 3_600_000L);
    Date to = new Date(System.currentTimeMillis() + 7L * 24 * 3_600_000L);

    X500Name caName = new X500Name("CN=sockscript bench CA");
    JcaX509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName,
        BigInteger.valueOf(System.nanoTime()), from, to, caName, caKeys.getPublic());
    caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    caBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    X509Certificate ca = new JcaX509CertificateConverter().getCertificate(
        caBuilder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));

    JcaX509v3CertificateBuilder leafBuilder = new JcaX509v3CertificateBuilder(caName,
        BigInteger.valueOf(System.nanoTime() + 1), from, to, new X500Name("CN=" + HOST), leafKeys.getPublic());
    leafBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    leafBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    leafBuilder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    leafBuilder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, HOST), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(
        leafBuilder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));

    Files.createDirectories(dir);
    Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", ca.getEncoded()));
    Files.writeString(dir.resolve("chain.pem"), pem("CERTIFICATE", leaf.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()));
    Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", leafKeys.getPrivate().getEncoded()));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** A PKCS#12 store in memory with the leaf's key entry, for the JDK's server sockets. */
  KeyStore identityStore(char[] password) throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("identity", key, password, new X509Certificate[] {leaf, ca});
    return ks;
  }

  /** A store that trusts the CA only. */
  KeyStore trustStore() throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("ca", ca);
    return ks;
  }
}
