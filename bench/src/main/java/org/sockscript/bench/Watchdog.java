package org.sockscript.bench;

/** Ends a bench process that runs past its time: every bench process is bounded in time. */
final class Watchdog {

  private Watchdog() {}

  static void start(double seconds) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep((long) (seconds * 1000));
        System.err.println("bench: watchdog: still running after " + seconds + " s, exiting");
        Runtime.getRuntime().halt(3);
      } catch (InterruptedException e) {
        // done
      }
    }, "bench-watchdog");
    t.setDaemon(true);
    t.start();
  }
}
