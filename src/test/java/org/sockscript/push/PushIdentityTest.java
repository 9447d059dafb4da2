package org.sockscript.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The credentials the protocol asks for, checked with the JDK's own Ed25519 verifier. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PushIdentityTest {

  private final PushIdentity me = PushIdentity.generate();

  @Test
  void identityKeyIsStandardBase64OfTheRaw32BytePublicKey() {
    byte[] raw = Base64.getDecoder().decode(me.identityKey());
    assertThat(raw).hasSize(32);
    byte[] spki = me.keyPair().getPublic().getEncoded();
    assertThat(java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length)).isEqualTo(raw);
    assertThat(PushIdentity.of(me.keyPair()).identityKey()).isEqualTo(me.identityKey());
    assertThat(PushIdentity.generate().identityKey()).isNotEqualTo(me.identityKey());
  }

  @Test
  void usernameIsIdentityKeyBarDeviceIdWithTheDeviceIdUnchanged() {
    assertThat(me.username("phone-1")).isEqualTo(me.identityKey() + "|phone-1");
    assertThat(me.username("a|b ")).isEqualTo(me.identityKey() + "|a|b ");
    assertThat(me.username("")).isEqualTo(me.identityKey() + "|");
  }

  @Test
  void passwordIsTheSecondsAndTheirEd25519SignatureInBase64() throws Exception {
    String password = me.password(1767225600L);
    String[] parts = password.split("\\|");
    assertThat(parts[0]).isEqualTo("1767225600");
    Signature verify = Signature.getInstance("Ed25519");
    verify.initVerify(me.keyPair().getPublic());
    verify.update("1767225600".getBytes(StandardCharsets.US_ASCII));
    assertThat(verify.verify(Base64.getDecoder().decode(parts[1]))).isTrue();
    verify.initVerify(me.keyPair().getPublic());
    verify.update("1767225601".getBytes(StandardCharsets.US_ASCII));
    assertThat(verify.verify(Base64.getDecoder().decode(parts[1]))).as("signs exactly those seconds").isFalse();
  }
}
