package org.sockscript.internal.tls;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the bytes that broke a handshake are shown in its error: quoted, escaped, cut short. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PrintableTextTest {

  @Test
  void aTextLineIsQuotedWithoutItsLineEnd() {
    assertThat(PrintableText.quote(bytes("220 2.0.0 Ready to start TLS\r\nmore"))).isEqualTo("\"220 2.0.0 Ready to start TLS\"");
  }

  @Test
  void quotesAndBackslashesAreEscaped() {
    assertThat(PrintableText.quote(bytes("say \"hi\" C:\\x\n"))).isEqualTo("\"say \\\"hi\\\" C:\\\\x\"");
  }

  @Test
  void aLongLineIsCutAtFortyEightCharactersFromAHugeInput() {
    String quoted = PrintableText.quote(bytes("x".repeat(1_000_000)));

    assertThat(quoted).isEqualTo("\"" + "x".repeat(48) + "...\"");
  }

  @Test
  void textRunningIntoBinaryShowsTheFirstBinaryByte() {
    assertThat(PrintableText.quote(bytes("PART\u0016\u0003\u0001"))).isEqualTo("\"PART\\x16...\"");
  }

  @Test
  void aTlsRecordOrNothingIsNotText() {
    assertThat(PrintableText.quote(new byte[] {0x16, 0x03, 0x01, 0x00})).isNull();
    assertThat(PrintableText.quote(new byte[0])).isNull();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(ISO_8859_1);
  }
}
