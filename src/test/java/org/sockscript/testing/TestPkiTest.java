package org.sockscript.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(60)
class TestPkiTest {

    private static final String OPENSSL = "/usr/bin/openssl";
    private static final String AUTH_TYPE = "ECDHE_ECDSA";

    private final TestPki pki = TestPki.get();

    static Stream<TestIdentity> identities() {
        TestPki pki = TestPki.get();
        return Stream.of(pki.good(), pki.expired(), pki.wrongHost(), pki.selfSigned(),
                pki.untrustedRoot(), pki.incompleteChain(), pki.cnOnly(), pki.ipSanOnly(),
                pki.client());
    }

    @Test
    void getIsCachedAcrossThreads() {
        List<TestPki> seen = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(TestPki::get))
                .map(CompletableFuture::join)
                .toList();
        assertThat(seen).allSatisfy(p -> assertThat(p).isSameAs(pki));
    }

    @Test
    void goodChainValidatesWithPkixAndTrustManager() throws Exception {
        List<X509Certificate> chain = pki.good().chain();
        assertThat(chain).hasSize(2);

        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(readRootPem(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(chain), params);

        trustManager().checkServerTrusted(array(chain), AUTH_TYPE);
    }

    @Test
    void expiredFailsWithCertificateExpired() {
        assertThatThrownBy(() -> trustManager().checkServerTrusted(array(pki.expired().chain()), AUTH_TYPE))
                .satisfies(e -> assertThat(causes(e)).hasAtLeastOneElementOfType(CertificateExpiredException.class));
    }

    @Test
    void untrustedRootAndIncompleteChainFailPkix() throws Exception {
        X509TrustManager tm = trustManager();
        assertThatThrownBy(() -> tm.checkServerTrusted(array(pki.untrustedRoot().chain()), AUTH_TYPE))
                .hasMessageContaining("PKIX");
        assertThatThrownBy(() -> tm.checkServerTrusted(array(pki.incompleteChain().chain()), AUTH_TYPE))
                .hasMessageContaining("PKIX");
        assertThat(pki.incompleteChain().chain()).containsExactly(pki.good().certificate());
        assertThat(pki.incompleteChain().privateKey()).isEqualTo(pki.good().privateKey());
    }

    @Test
    void leafShapes() throws Exception {
        assertThat(pki.cnOnly().certificate().getSubjectAlternativeNames()).isNull();
        assertThat(pki.ipSanOnly().certificate().getSubjectAlternativeNames())
                .allSatisfy(san -> assertThat(san.get(0)).isEqualTo(7)); // iPAddress only
        assertThat(pki.client().certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(pki.good().certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(pki.good().certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(pki.good().chain().get(1).getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(pki.root().getSerialNumber()).isNotEqualTo(pki.good().chain().get(1).getSerialNumber());
        X509Certificate self = pki.selfSigned().certificate();
        self.verify(self.getPublicKey());
    }

    @Test
    void opensslShowsSansAndVerifiesGoodLeaf(@TempDir Path tmp) throws Exception {
        String text = openssl("x509", "-in", pki.good().chainPem().toString(), "-noout", "-text");
        assertThat(text).contains("DNS:localhost", "DNS:mail.test.example",
                "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1");

        Path leaf = TestIdentity.writePem(tmp.resolve("leaf.pem"), pki.good().certificate());
        Path intermediate = TestIdentity.writePem(tmp.resolve("intermediate.pem"), pki.good().chain().get(1));
        String verify = openssl("verify", "-CAfile", pki.rootPem().toString(),
                "-untrusted", intermediate.toString(), leaf.toString());
        assertThat(verify.strip()).isEqualTo(leaf + ": OK");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identities")
    void filesMatchIdentity(TestIdentity id) throws Exception {
        String pem = Files.readString(id.keyPem(), StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey parsed = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        assertThat(parsed.getEncoded()).isEqualTo(id.privateKey().getEncoded());

        try (InputStream in = Files.newInputStream(id.chainPem())) {
            List<Object> certs = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
            assertThat(certs).containsExactlyElementsOf(id.chain());
        }
        KeyStore ks = id.keyStore();
        assertThat(ks.getKey("identity", TestIdentity.PASSWORD)).isEqualTo(id.privateKey());
        assertThat(ks.getCertificateChain("identity")).containsExactlyElementsOf(id.chain());
    }

    private X509Certificate readRootPem() throws Exception {
        try (InputStream in = Files.newInputStream(pki.rootPem())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private X509TrustManager trustManager() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", readRootPem());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }

    private static X509Certificate[] array(List<X509Certificate> chain) {
        return chain.toArray(new X509Certificate[0]);
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable t = e; t != null && !all.contains(t); t = t.getCause()) {
            all.add(t);
        }
        return all;
    }

    private static String openssl(String... args) throws IOException, InterruptedException {
        InstalledPeers.assume(OPENSSL);
        List<String> command = new ArrayList<>(List.of(OPENSSL));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl %s:%n%s", args[0], output).isZero();
        return output;
    }
}
