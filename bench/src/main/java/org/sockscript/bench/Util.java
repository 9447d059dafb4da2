package org.sockscript.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;

/** Results, statistics and process facts shared by every bench process. */
final class Util {

  private Util() {}

  /** A figure for the driver: one line {@code RESULT key value} on stdout. */
  static synchronized void result(String key, double value) {
    System.out.println("RESULT " + key + " " + String.format(Locale.ROOT, "%.6g", value));
    System.out.flush();
  }

  static void log(String format, Object... args) {
    System.err.println("  " + String.format(Locale.ROOT, format, args));
  }

  /** The q-quantile (0..1) of {@code n} samples, nearest rank. Sorts {@code samples}. */
  static long quantile(long[] samples, int n, double q) {
    Arrays.sort(samples, 0, n);
    int rank = (int) Math.ceil(q * n) - 1;
    return samples[Math.max(0, Math.min(n - 1, rank))];
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** A field of /proc/self/status in KiB (VmRSS, VmHWM, Threads...), or -1. */
  static long status(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  /** How many file descriptors this process has open, or -1. */
  static long openFds() {
    try (var list = Files.list(Path.of("/proc/self/fd"))) {
      return list.count();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Context switches of every live thread of this process so far (voluntary + involuntary). */
  static long contextSwitches() {
    long sum = 0;
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          for (String line : Files.readAllLines(t.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
              sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return sum;
  }

  /** CPU time of this process so far (all threads), in nanoseconds. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Used heap after full collections, in bytes. */
  static long heapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(150);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  static long deadlineIn(double seconds) {
    return System.nanoTime() + (long) (seconds * 1e9);
  }

  static boolean before(long deadline) {
    return System.nanoTime() - deadline < 0;
  }

  /** Fills {@code b} with printable ASCII, so text-decoding APIs pass it through one for one. */
  static byte[] ascii(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }

  /** Starts {@code r} on a daemon thread named {@code name}. */
  static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  /** Conscrypt's version, or "?". */
  static String conscryptVersion() {
    try {
      var v = org.conscrypt.Conscrypt.version();
      return v.major() + "." + v.minor() + "." + v.patch();
    } catch (Throwable t) {
      return "?";
    }
  }

  /** The load averages at the end of a run, for the report. */
  static String loadAverage() {
    try {
      String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return "load average at the end " + load[0] + ", " + load[1] + ", " + load[2];
    } catch (Exception e) {
      return "";
    }
  }

  /** Deletes a folder and everything in it, best effort. */
  static void deleteTree(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (Exception e) {
      // best effort
    }
  }
}
