package org.sockscript.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** How a registry closes: every endpoint closes, queued writes get a moment to flush, the loop stops. */
final class RegistryShutdown {

  private RegistryShutdown() {}

  /** Closes {@code core}'s endpoints and loop; false if it had closed already. */
  static boolean run(SocketCore core) {
    List<Endpoint> all = core.table.closeAll();
    if (all == null) {
      return false;
    }
    EventLoop loop = core.loop;
    runOnLoop(loop, () -> all.forEach(Endpoint::closeByScript)); // starts flushing queued writes
    // (From a listener call on the loop, the loop cannot flush while this waits: no wait then.)
    long deadline = System.nanoTime() + (loop.inLoop() ? 0 : TimeUnit.SECONDS.toNanos(2));
    for (Endpoint e : all) {
      while (e instanceof Connection && ((Connection) e).state != Connection.State.CLOSED
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        try {
          Thread.sleep(1);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    runOnLoop(loop, () -> {
      all.stream().filter(e -> e instanceof Connection).forEach(e -> ((Connection) e).closeNow());
      new ArrayList<>(core.live).forEach(Connection::closeNow); // also those flushing after close(name)
    });
    loop.close();
    return true;
  }

  private static void runOnLoop(EventLoop loop, Runnable task) {
    loop.runAndWait(task, 5, TimeUnit.SECONDS); // closing anyway if it takes longer
  }
}
