package org.sockscript.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The segmented inbound buffer against a plain byte array doing the same operations: appends,
 * takes, peeks and searches that straddle segment boundaries give the same bytes, and a drained
 * buffer hands its segments back to the pool.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InboundBufferTest {

  private static final int SEG = SegmentPool.SIZE;

  @Test
  void randomOperationsMatchAPlainArrayModel() {
    Random random = new Random(42);
    SegmentPool pool = new SegmentPool(1 << 20);
    InboundBuffer buffer = new InboundBuffer(pool);
    byte[] model = new byte[0];
    for (int step = 0; step < 5_000; step++) {
      int op = random.nextInt(10);
      if (op < 4) {
        byte[] data = new byte[sizeNear(random)];
        for (int i = 0; i < data.length; i++) {
          data[i] = (byte) ('a' + random.nextInt(4)); // few symbols: delimiters are found often
        }
        if (random.nextBoolean()) {
          buffer.append(ByteBuffer.wrap(data));
        } else {
          buffer.append(data, 0, data.length);
        }
        model = concat(model, data);
      } else if (op < 7) {
        int n = random.nextInt(model.length + 1);
        assertThat(buffer.take(n)).isEqualTo(Arrays.copyOf(model, n));
        model = Arrays.copyOfRange(model, n, model.length);
      } else if (op < 9) {
        byte[] pattern = {(byte) ('a' + random.nextInt(4)), (byte) ('a' + random.nextInt(4)), 'b'};
        int from = random.nextInt(model.length + 2);
        assertThat(buffer.indexOf(pattern, from)).as("indexOf at step %d", step).isEqualTo(indexOf(model, pattern, from));
      } else {
        int n = random.nextInt(model.length + 10);
        assertThat(buffer.peek(n)).isEqualTo(Arrays.copyOf(model, Math.min(n, model.length)));
      }
      assertThat(buffer.size()).isEqualTo(model.length);
      if (model.length > 0) {
        int i = random.nextInt(model.length);
        assertThat(buffer.get(i)).isEqualTo(model[i]);
      }
    }
  }

  @Test
  void aDrainedBufferGivesItsSegmentsBack() {
    SegmentPool pool = new SegmentPool(1 << 20);
    InboundBuffer buffer = new InboundBuffer(pool);
    buffer.append(new byte[3 * SEG + 5], 0, 3 * SEG + 5);
    assertThat(pool.pooled()).isZero();
    buffer.take(SEG + 1); // the first segment is emptied
    assertThat(pool.pooled()).isEqualTo(1);
    buffer.takeAll();
    assertThat(pool.pooled()).isEqualTo(4);
    buffer.append(new byte[10], 0, 10); // reuses a pooled segment
    assertThat(pool.pooled()).isEqualTo(3);
    buffer.clear();
    assertThat(pool.pooled()).isEqualTo(4);
    assertThat(buffer.size()).isZero();
  }

  @Test
  void thePoolKeepsNoMoreThanItsLimit() {
    SegmentPool pool = new SegmentPool(2 * SEG);
    InboundBuffer buffer = new InboundBuffer(pool);
    buffer.append(new byte[5 * SEG], 0, 5 * SEG);
    buffer.clear();
    assertThat(pool.pooled()).isEqualTo(2);
  }

  @Test
  void aDelimiterSplitAcrossSegmentsIsFound() {
    InboundBuffer buffer = new InboundBuffer(new SegmentPool(0));
    byte[] data = new byte[SEG + 1];
    Arrays.fill(data, (byte) 'x');
    data[SEG - 1] = '\r';
    data[SEG] = '\n';
    buffer.append(data, 0, data.length);
    assertThat(buffer.indexOf(new byte[] {'\r', '\n'}, 0)).isEqualTo(SEG - 1);
    assertThat(buffer.indexOf(new byte[] {'\r', '\n'}, SEG)).isEqualTo(-1);
  }

  /** Mostly small, sometimes a few segments' worth, often just across a boundary. */
  private static int sizeNear(Random random) {
    switch (random.nextInt(3)) {
      case 0: return random.nextInt(64);
      case 1: return SEG - 8 + random.nextInt(16);
      default: return random.nextInt(3 * SEG);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int indexOf(byte[] haystack, byte[] pattern, int from) {
    outer:
    for (int i = Math.max(0, from); i <= haystack.length - pattern.length; i++) {
      for (int k = 0; k < pattern.length; k++) {
        if (haystack[i + k] != pattern[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
