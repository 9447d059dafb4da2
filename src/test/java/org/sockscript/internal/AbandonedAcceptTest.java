package org.sockscript.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.RecordingListener;
import org.sockscript.testing.LeakCheck;
import org.sockscript.testing.SaturatedPool;

/**
 * An {@code accept} whose caller stopped waiting (here: a saturated ForkJoinPool's exception,
 * while the I/O loop is held so the listener cannot have started yet) threw, so it leaves no
 * listener behind: no name, no bound port, no descriptor.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AbandonedAcceptTest {

  @Test
  void acceptEndedByAnExceptionLeavesNoListener() throws Exception {
    SocketCore core = new SocketCore();
    try {
      core.close(core.accept(null, 0, new RecordingListener(), false, null)); // warm-up: the JDK keeps a descriptor from the first close
      Thread.sleep(100);
      LeakCheck.Counts before = LeakCheck.snapshot();
      CountDownLatch release = LoopHold.hold(core);
      Throwable thrown;
      try {
        thrown = SaturatedPool.run(() -> core.accept(null, 0, new RecordingListener(), false, null));
      } finally {
        release.countDown();
      }
      assertThat(thrown).isInstanceOf(RejectedExecutionException.class);
      assertThat(core.names()).as("listeners left").isEmpty();
      LeakCheck.Counts after = LeakCheck.awaitBackTo(before, Duration.ofSeconds(5));
      assertThat(after.fds()).as("descriptors; %s", after.newSince(before)).isLessThanOrEqualTo(before.fds());
    } finally {
      core.close();
    }
  }
}
