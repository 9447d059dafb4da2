package org.sockscript.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * One throwaway TLS identity made by {@link TestPki}: a leaf certificate, the chain a server
 * (or client) would send, and the matching private key, both in memory and as PEM files.
 * Instances are immutable; the files live in {@link TestPki}'s temp directory.
 */
public final class TestIdentity {

    /** Password of the in-memory {@link #keyStore()} and of its key entry: {@code "changeit"}. */
    public static final char[] PASSWORD = "changeit".toCharArray();

    /** Alias of the key entry in {@link #keyStore()}. */
    static final String ALIAS = "identity";

    private final String name;
    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;
    private final Path chainPem;
    private final Path keyPem;

    private TestIdentity(String name, List<X509Certificate> chain, PrivateKey privateKey,
                         Path chainPem, Path keyPem) {
        this.name = name;
        this.chain = chain;
        this.privateKey = privateKey;
        this.chainPem = chainPem;
        this.keyPem = keyPem;
    }

    /**
     * Writes {@code <name>.chain.pem} and {@code <name>.key.pem} into {@code dir} (both marked
     * delete-on-exit) and returns the identity. {@code chain} is leaf first.
     */
    static TestIdentity write(Path dir, String name, PrivateKey key, List<X509Certificate> chain) {
        List<X509Certificate> copy = List.copyOf(chain);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("chain must contain at least the leaf");
        }
        Path chainPem = writePem(dir.resolve(name + ".chain.pem"), copy.toArray());
        Path keyPem = writePem(dir.resolve(name + ".key.pem"), pkcs8(key));
        return new TestIdentity(name, copy, Objects.requireNonNull(key), chainPem, keyPem);
    }

    /**
     * Writes the given objects (certificates, or a PKCS#8 generator) to {@code file} as PEM and
     * marks it delete-on-exit.
     */
    static Path writePem(Path file, Object... objects) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                pem.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        file.toFile().deleteOnExit();
        return file;
    }

    /** Unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}); a bare PrivateKey would become SEC1. */
    private static JcaPKCS8Generator pkcs8(PrivateKey key) {
        try {
            return new JcaPKCS8Generator(key, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Short label such as {@code "good"} or {@code "expired"}, for test display names. */
    public String name() {
        return name;
    }

    /** PEM file with the chain as a peer would send it: leaf first, then any intermediates. */
    public Path chainPem() {
        return chainPem;
    }

    /** PEM file with the unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}). */
    public Path keyPem() {
        return keyPem;
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The certificates in {@link #chainPem()}, in file order (unmodifiable). */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The leaf's EC P-256 private key. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /**
     * A fresh in-memory PKCS12 key store holding this identity under alias {@code "identity"},
     * store and key password {@link #PASSWORD}; ready for a {@code KeyManagerFactory}.
     */
    public KeyStore keyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, privateKey, PASSWORD, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build key store for " + name, e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
