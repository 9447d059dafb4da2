package org.sockscript.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stash buffers a TLS stage keeps partial records in are pooled per loop, and keep their bytes. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TlsScratchTest {

  private final TlsScratch scratch = new TlsScratch(false);

  @Test
  void aRecycledStashIsReusedEmptyForTheNextPartialRecord() {
    ByteBuffer first = scratch.stash(null, bytes(100, 1));
    assertThat(scratch.recycle(first)).isNull();
    ByteBuffer second = scratch.stash(null, bytes(7, 9));
    assertThat(second).isSameAs(first);
    second.flip();
    assertThat(second.remaining()).isEqualTo(7);
    assertThat(second.get(0)).isEqualTo((byte) 9);
  }

  @Test
  void aStashThatOutgrowsThePooledSizeKeepsEveryByteInOrderAndIsNotPooled() {
    ByteBuffer stash = scratch.stash(null, bytes(TlsScratch.STASH - 10, 1));
    ByteBuffer grown = scratch.stash(stash, bytes(50, 2));
    assertThat(grown.capacity()).isGreaterThan(TlsScratch.STASH);
    grown.flip();
    assertThat(grown.remaining()).isEqualTo(TlsScratch.STASH + 40);
    assertThat(grown.get(TlsScratch.STASH - 11)).isEqualTo((byte) 1);
    assertThat(grown.get(TlsScratch.STASH - 10)).isEqualTo((byte) 2);
    scratch.recycle(grown);
    // the pool holds only the pooled size: the small buffer given back when it grew comes next
    assertThat(scratch.stash(null, bytes(1, 3))).isSameAs(stash);
  }

  private static ByteBuffer bytes(int n, int value) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) value);
    return ByteBuffer.wrap(b);
  }
}
