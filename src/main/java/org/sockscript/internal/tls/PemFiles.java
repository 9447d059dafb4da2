package org.sockscript.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads certificates and private keys from PEM files, with errors that name the file. */
final class PemFiles {

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private PemFiles() {}

  /** Every certificate in the given PEM files, and in the {@code .pem}/{@code .crt} files of the given folders. */
  static List<X509Certificate> certificates(List<Path> paths) throws IOException {
    List<X509Certificate> all = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = Files.list(path)) {
          for (Path file : (Iterable<Path>) files.sorted()::iterator) {
            String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (Files.isRegularFile(file) && (n.endsWith(".pem") || n.endsWith(".crt") || n.endsWith(".cer"))) {
              all.addAll(certificates(file));
            }
          }
        }
      } else {
        all.addAll(certificates(path));
      }
    }
    return all;
  }

  /** The certificates of one PEM file, in file order. */
  static List<X509Certificate> certificates(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      List<X509Certificate> certs = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certs.add((X509Certificate) c);
      }
      if (certs.isEmpty()) {
        throw new IOException("no certificate in " + file + " (expected -----BEGIN CERTIFICATE-----)");
      }
      return certs;
    } catch (GeneralSecurityException e) {
      throw new IOException("not a readable certificate file: " + file + ": " + e.getMessage(), e);
    }
  }

  /** The private key of a PEM file: PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1 RSA. */
  static PrivateKey privateKey(Path file) throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      if (type.equals("PRIVATE KEY")) {
        return pkcs8(file, der);
      }
      if (type.equals("RSA PRIVATE KEY")) {
        return pkcs8(file, Pkcs1.wrapRsa(der));
      }
      if (type.equals("ENCRYPTED PRIVATE KEY") || type.equals("EC PRIVATE KEY")) {
        throw new IOException("unsupported key format in " + file + ": expected \"BEGIN PRIVATE KEY\""
            + " (unencrypted PKCS#8), saw \"BEGIN " + type + "\"; convert it with"
            + " openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName());
      }
    }
    throw new IOException("no private key in " + file + " (expected -----BEGIN PRIVATE KEY-----)");
  }

  private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
    for (String algorithm : new String[] {"EC", "RSA", "Ed25519", "Ed448", "RSASSA-PSS"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IOException("unreadable private key in " + file + " (not an EC, RSA or EdDSA PKCS#8 key)");
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo, so the JDK can read it. */
  private static final class Pkcs1 {
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    static byte[] wrapRsa(byte[] pkcs1) {
      byte[] version = {0x02, 0x01, 0x00};
      byte[] octets = tlv(0x04, pkcs1);
      byte[] body = concat(version, RSA_ALGORITHM, octets);
      return tlv(0x30, body);
    }

    private static byte[] tlv(int tag, byte[] value) {
      int n = value.length;
      byte[] len = n < 0x80 ? new byte[] {(byte) n}
          : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
          : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
          : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
      return concat(new byte[] {(byte) tag}, len, value);
    }

    private static byte[] concat(byte[]... parts) {
      int size = 0;
      for (byte[] p : parts) {
        size += p.length;
      }
      byte[] out = new byte[size];
      int at = 0;
      for (byte[] p : parts) {
        System.arraycopy(p, 0, out, at, p.length);
        at += p.length;
      }
      return out;
    }
  }
}
