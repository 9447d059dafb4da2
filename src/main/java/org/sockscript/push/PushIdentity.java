package org.sockscript.push;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.sockscript.internal.Args;

/**
 * A push client's long-term identity: an Ed25519 key pair. The protocol's credentials are made
 * from it: the username {@code identityKey|deviceId}, and the password {@code seconds|signature},
 * the Ed25519 signature of the ASCII decimal unix time, in standard base64.
 *
 * <pre>{@code
 * PushIdentity me = PushIdentity.generate();
 * String user = me.username("phone-1");                              // "q83v...=|phone-1"
 * String pass = me.password(System.currentTimeMillis() / 1000);      // "1767225600|3k9...=="
 * }</pre>
 */
public final class PushIdentity {

  /** The X.509 SubjectPublicKeyInfo header of every Ed25519 key (RFC 8410), before its raw 32 bytes. */
  private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private final KeyPair keys;
  private final String identityKey;

  private PushIdentity(KeyPair keys, String identityKey) {
    this.keys = keys;
    this.identityKey = identityKey;
  }

  /** A new identity with a fresh Ed25519 key pair. Example: {@code PushIdentity me = PushIdentity.generate();} */
  public static PushIdentity generate() {
    try {
      return of(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no Ed25519 (JDK 15+ has)", e);
    }
  }

  /**
   * The identity of an existing Ed25519 key pair. Example: {@code PushIdentity.of(keyStoreKeys)}
   *
   * @throws IllegalArgumentException if {@code keys} is null, lacks a key or is not an Ed25519 pair
   */
  public static PushIdentity of(KeyPair keys) {
    Args.notNull(keys, "keys");
    if (keys.getPublic() == null || keys.getPrivate() == null) {
      throw new IllegalArgumentException("not an Ed25519 key pair: the "
          + (keys.getPublic() == null ? "public" : "private") + " key is null");
    }
    byte[] spki = keys.getPublic().getEncoded();
    if (spki == null || spki.length != ED25519_SPKI_PREFIX.length + 32
        || !Arrays.equals(spki, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0, ED25519_SPKI_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 key pair: the public key is "
          + keys.getPublic().getAlgorithm() + " (" + keys.getPublic().getFormat() + "), expected Ed25519");
    }
    byte[] raw = Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX.length, spki.length);
    PushIdentity identity = new PushIdentity(keys, Base64.getEncoder().encodeToString(raw));
    identity.sign(0); // a private key that cannot sign Ed25519 fails here, not at the first connect
    return identity;
  }

  /** Standard base64 of the raw 32-byte Ed25519 public key. Example: {@code me.identityKey()} gives {@code "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="}. */
  public String identityKey() {
    return identityKey;
  }

  /**
   * {@code identityKey|deviceId}, the device id passed through unchanged (the server judges it).
   * Example: {@code me.username("phone-1")}
   *
   * @throws IllegalArgumentException if deviceId is null
   */
  public String username(String deviceId) {
    return identityKey + "|" + Args.notNull(deviceId, "deviceId");
  }

  /** {@code seconds|base64(Ed25519 signature of the ASCII decimal seconds)}. Example: {@code me.password(Instant.now().getEpochSecond())} */
  public String password(long unixSeconds) {
    return unixSeconds + "|" + Base64.getEncoder().encodeToString(sign(unixSeconds));
  }

  /** The key pair. Example: {@code me.keyPair().getPublic()} */
  public KeyPair keyPair() {
    return keys;
  }

  private byte[] sign(long unixSeconds) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(keys.getPrivate());
      signature.update(Long.toString(unixSeconds).getBytes(StandardCharsets.US_ASCII));
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the private key cannot make an Ed25519 signature: " + e.getMessage(), e);
    }
  }

  /** {@code PushIdentity[identityKey]}. Example: {@code System.out.println(me);} */
  @Override
  public String toString() {
    return "PushIdentity[" + identityKey + "]";
  }
}
