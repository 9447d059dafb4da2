package org.sockscript.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The one way peer text is shown in wire logs, traces and messages. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PeerTextTest {

  @Test
  void aLogLineKeepsQuotesAndUnicodeAndEscapesControlCharacters() {
    assertThat(PeerText.shorten("42[\"héllo\"]\r\n\u0000\u007f")).isEqualTo("42[\"héllo\"]\\x0d\\x0a\\x00\\x7f");
  }

  @Test
  void aLongLineIsCutAfterTwoHundredCharactersSayingItsLength() {
    assertThat(PeerText.shorten("x".repeat(200))).isEqualTo("x".repeat(200));
    assertThat(PeerText.shorten("x".repeat(1_000_000))).isEqualTo("x".repeat(200) + "... (1000000 chars)");
  }

  @Test
  void controlCharactersAreNeverCutSilently() {
    // Each shows as four characters; the line is whole all the same, as it is under the limit.
    assertThat(PeerText.shorten("\n".repeat(200))).isEqualTo("\\x0a".repeat(200));
    assertThat(PeerText.shorten("\n".repeat(201))).isEqualTo("\\x0a".repeat(200) + "... (201 chars)");
  }

  @Test
  void textBetweenQuotesIsEscapedAsInJavaSource() {
    assertThat(PeerText.escape("say \"hi\" C:\\x\r\n\t")).isEqualTo("say \\\"hi\\\" C:\\\\x\\r\\n\\t");
  }
}
