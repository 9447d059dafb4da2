package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sockscript.testing.TestPki;

/**
 * A queued {@code write(name, bytes, callback)} copies the bytes, so a script may refill its array
 * at once. Sizes from 8 to 64 KiB are copied into pooled direct buffers that are reused as soon as
 * a write is sent: the peer must still see every write's own bytes, in order, plain and over TLS,
 * also when more writes are queued than the pool has buffers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueuedWriteCopyTest {

  @ParameterizedTest(name = "{0} bytes per write")
  @ValueSource(ints = {100, 8 * 1024, 16 * 1024 + 3, 64 * 1024, 64 * 1024 + 1})
  void aReusedArrayIsSentAsItWasWhenEachWriteWasIssued(int size) throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      pair.client.setWriteQueueLimit(32 * 1024 * 1024); // all 200 queued before the peer reads
      String name = pair.connect("");
      String peer = pair.accepted(name);
      assertPeerSeesEveryWrite(pair, name, peer, size, 200);
    }
  }

  @Test
  void overTlsTooWithMoreWritesQueuedThanThePoolHoldsBuffers() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      pair.server.setServerIdentity(TestPki.get().good().chainPem(), TestPki.get().good().keyPem());
      pair.client.setSslCertificates(List.of(TestPki.get().rootPem()));
      pair.client.setWriteQueueLimit(32 * 1024 * 1024); // 200 x 32 KiB queued at once: past the pool's 64
      String name = pair.connect("");
      String peer = pair.accepted(name);
      pair.client.secure(name, true, "localhost");
      pair.server.secure(peer);
      assertPeerSeesEveryWrite(pair, name, peer, 32 * 1024, 200);
    }
  }

  /** Queues {@code count} writes from one array, changing it after each call; the peer reads them back. */
  private static void assertPeerSeesEveryWrite(LoopbackPair pair, String name, String peer, int size, int count)
      throws Exception {
    byte[] reused = new byte[size];
    for (int i = 0; i < count; i++) {
      Arrays.fill(reused, (byte) i);
      reused[0] = (byte) (i >> 8);
      pair.client.write(name, reused, null);
    }
    Arrays.fill(reused, (byte) 0x55); // a last change after the final write was queued
    for (int i = 0; i < count; i++) {
      byte[] got = pair.server.readBytes(peer, Chunk.bytes(size));
      byte[] expected = new byte[size];
      Arrays.fill(expected, (byte) i);
      expected[0] = (byte) (i >> 8);
      assertThat(got).as("write %d of %d (%d bytes each)", i, count, size).isEqualTo(expected);
    }
  }
}
