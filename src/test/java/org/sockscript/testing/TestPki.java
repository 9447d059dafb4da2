package org.sockscript.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throwaway test PKI, generated once per JVM with BouncyCastle (EC P-256, SHA256withECDSA):
 * a trusted root, an intermediate signed by it, a second untrusted root, and a set of good and
 * deliberately broken leaf identities. Everything is also written as PEM into a temp directory
 * that is deleted at JVM exit. Nothing is registered with {@code java.security.Security}.
 */
public final class TestPki {

    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final Duration DAY = Duration.ofDays(1);

    private static TestPki instance;

    private final Provider bc = new BouncyCastleProvider();
    private final SecureRandom random = new SecureRandom();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Path dir;

    private final Issuer root;
    private final Issuer otherRoot;
    private final Path rootPem;
    private final Path otherRootPem;

    private final TestIdentity good;
    private final TestIdentity expired;
    private final TestIdentity wrongHost;
    private final TestIdentity selfSigned;
    private final TestIdentity untrustedRoot;
    private final TestIdentity incompleteChain;
    private final TestIdentity cnOnly;
    private final TestIdentity ipSanOnly;
    private final TestIdentity client;

    /** A certificate together with the key that signs on its behalf. */
    private record Issuer(X509Certificate cert, PrivateKey key) {}

    /** Returns the per-JVM instance, generating all keys, certificates and files on first use. */
    public static synchronized TestPki get() {
        if (instance == null) {
            try {
                instance = new TestPki();
            } catch (GeneralSecurityException | OperatorCreationException e) {
                throw new IllegalStateException("cannot generate test PKI", e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write test PKI", e);
            }
        }
        return instance;
    }

    private TestPki() throws GeneralSecurityException, OperatorCreationException, IOException {
        dir = Files.createTempDirectory("sockscript-pki-");
        dir.toFile().deleteOnExit(); // registered first, so deleted after the files in it

        root = ca("CN=sockscript test root", null);
        otherRoot = ca("CN=sockscript other test root", null);
        Issuer intermediate = ca("CN=sockscript test intermediate", root);
        rootPem = TestIdentity.writePem(dir.resolve("root.pem"), root.cert());
        otherRootPem = TestIdentity.writePem(dir.resolve("other-root.pem"), otherRoot.cert());

        Instant from = now.minus(DAY);
        Instant to = now.plus(Duration.ofDays(30));
        GeneralNames goodNames = names("localhost", "mail.test.example", "127.0.0.1", "::1");
        GeneralNames localhost = names("localhost", "127.0.0.1");

        KeyPair goodKeys = keyPair();
        X509Certificate goodCert = leaf("CN=localhost", goodKeys, intermediate, from, to,
                goodNames, KeyPurposeId.id_kp_serverAuth);
        good = identity("good", goodKeys, goodCert, intermediate.cert());
        incompleteChain = identity("incomplete-chain", goodKeys, goodCert);

        expired = leafIdentity("expired", "CN=localhost", intermediate,
                now.minus(Duration.ofDays(30)), now.minus(DAY), goodNames, KeyPurposeId.id_kp_serverAuth);
        wrongHost = leafIdentity("wrong-host", "CN=other.test.example", intermediate, from, to,
                names("other.test.example"), KeyPurposeId.id_kp_serverAuth);
        cnOnly = leafIdentity("cn-only", "CN=localhost", intermediate, from, to,
                null, KeyPurposeId.id_kp_serverAuth);
        ipSanOnly = leafIdentity("ip-san-only", "CN=ip-only", intermediate, from, to,
                names("127.0.0.1", "::1"), KeyPurposeId.id_kp_serverAuth);
        client = leafIdentity("client", "CN=test-client", intermediate, from, to,
                null, KeyPurposeId.id_kp_clientAuth);

        KeyPair selfKeys = keyPair();
        X509Certificate selfCert = leaf("CN=localhost", selfKeys, null, from, to,
                localhost, KeyPurposeId.id_kp_serverAuth);
        selfSigned = identity("self-signed", selfKeys, selfCert);

        KeyPair strayKeys = keyPair();
        X509Certificate strayCert = leaf("CN=localhost", strayKeys, otherRoot, from, to,
                localhost, KeyPurposeId.id_kp_serverAuth);
        untrustedRoot = identity("untrusted-root", strayKeys, strayCert, otherRoot.cert());
    }

    /** PEM file holding only the trusted test root CA certificate. */
    public Path rootPem() {
        return rootPem;
    }

    /** PEM file holding a second root CA certificate that tests must NOT trust. */
    public Path otherRootPem() {
        return otherRootPem;
    }

    /** The trusted test root CA certificate. */
    public X509Certificate root() {
        return root.cert();
    }

    /** Valid server leaf via the intermediate; SAN localhost, mail.test.example, 127.0.0.1, ::1. */
    public TestIdentity good() {
        return good;
    }

    /** Like {@link #good()} (own key) but valid only from now-30d to now-1d. */
    public TestIdentity expired() {
        return expired;
    }

    /** Valid leaf via the intermediate for {@code other.test.example} only (CN and DNS SAN). */
    public TestIdentity wrongHost() {
        return wrongHost;
    }

    /** Self-signed leaf (no CA), SAN DNS localhost and IP 127.0.0.1. */
    public TestIdentity selfSigned() {
        return selfSigned;
    }

    /** Leaf (SAN localhost, 127.0.0.1) signed directly by the other root; chain = leaf + other root. */
    public TestIdentity untrustedRoot() {
        return untrustedRoot;
    }

    /** Same leaf certificate and key as {@link #good()}, but the chain PEM omits the intermediate. */
    public TestIdentity incompleteChain() {
        return incompleteChain;
    }

    /** Leaf via the intermediate with subject CN=localhost and no subjectAltName extension. */
    public TestIdentity cnOnly() {
        return cnOnly;
    }

    /** Leaf via the intermediate, CN=ip-only, SAN IP 127.0.0.1 and ::1 only (no DNS names). */
    public TestIdentity ipSanOnly() {
        return ipSanOnly;
    }

    /** Client certificate for mutual TLS via the intermediate, CN=test-client, EKU clientAuth. */
    public TestIdentity client() {
        return client;
    }

    private TestIdentity leafIdentity(String name, String subject, Issuer issuer, Instant from,
                                      Instant to, GeneralNames san, KeyPurposeId purpose)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = keyPair();
        X509Certificate cert = leaf(subject, keys, issuer, from, to, san, purpose);
        return identity(name, keys, cert, issuer.cert());
    }

    private TestIdentity identity(String name, KeyPair keys, X509Certificate... chain) {
        return TestIdentity.write(dir, name, keys.getPrivate(), List.of(chain));
    }

    /** A CA certificate valid now-1d..now+30d; self-signed when {@code issuer} is null. */
    private Issuer ca(String subject, Issuer issuer)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = keyPair();
        X509v3CertificateBuilder builder = builder(subject, keys, issuer, now.minus(DAY),
                now.plus(Duration.ofDays(30)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issuer(sign(builder, issuer == null ? keys.getPrivate() : issuer.key()),
                keys.getPrivate());
    }

    /** An end-entity certificate; self-signed when {@code issuer} is null; no SAN if null. */
    private X509Certificate leaf(String subject, KeyPair keys, Issuer issuer, Instant from,
                                 Instant to, GeneralNames san, KeyPurposeId purpose)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X509v3CertificateBuilder builder = builder(subject, keys, issuer, from, to);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        if (san != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, san);
        }
        return sign(builder, issuer == null ? keys.getPrivate() : issuer.key());
    }

    /** Builder with issuer/subject, random serial, validity, and SKI + AKI extensions. */
    private X509v3CertificateBuilder builder(String subject, KeyPair keys, Issuer issuer,
                                             Instant from, Instant to)
            throws GeneralSecurityException, IOException {
        X500Name subjectName = new X500Name(subject);
        X500Name issuerName = issuer == null
                ? subjectName
                : X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded());
        BigInteger serial = new BigInteger(127, random).setBit(126); // positive, 16 bytes
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, serial,
                Date.from(from), Date.from(to), subjectName, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                ext.createSubjectKeyIdentifier(keys.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false, issuer == null
                ? ext.createAuthorityKeyIdentifier(keys.getPublic())
                : ext.createAuthorityKeyIdentifier(issuer.cert()));
        return builder;
    }

    /** Signs with BouncyCastle, then re-parses with the JDK so callers get plain JDK certificates. */
    private X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signerKey)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        byte[] der = builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM)
                .setProvider(bc).setSecureRandom(random).build(signerKey)).getEncoded();
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    private KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    /** subjectAltName from host names and IP literals (anything containing ':' or all digits/dots is an IP). */
    private static GeneralNames names(String... entries) {
        GeneralName[] names = new GeneralName[entries.length];
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i];
            boolean ip = entry.contains(":") || entry.matches("[0-9.]+");
            names[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, entry);
        }
        return new GeneralNames(names);
    }
}
