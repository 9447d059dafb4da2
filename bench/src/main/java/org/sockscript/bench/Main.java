package org.sockscript.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The driver: makes the run's PKI, runs every benchmark process (round by round, variants
 * interleaved and rotated within each round), collects their {@code RESULT} lines and prints the
 * table, the ratios (within a round; min / median / max over rounds) and the targets. Started by {@code bench/run}.
 *
 * <p>{@code Main [--quick] [--rounds N] [--only tput,pp,srv,hs,scale] [--out file]}
 */
public final class Main {

  static final List<String> TPUT = List.of("plain-nio", "plain-sockscript", "plain-sockscript-into",
      "plain-sockscript-script", "plain-netty", "tls-sockscript", "tls-sockscript-into",
      "tls-sockscript-script", "tls-netty", "tls-jdk");
  static final List<String> SCALE = List.of("tls-sockscript", "tls-netty", "plain-sockscript",
      "plain-netty", "plain-nio");

  /** key -> one value per round (NaN where missing). */
  final Map<String, double[]> results = new TreeMap<>();
  final List<String> failures = new ArrayList<>();
  final int rounds;
  final boolean quick;
  final Path pki;
  final Path log;
  final List<String> jvm = new ArrayList<>();

  Main(int rounds, boolean quick, Path pki, Path log) {
    this.rounds = rounds;
    this.quick = quick;
    this.pki = pki;
    this.log = log;
    jvm.add("-Xmx2g");
    jvm.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    String extra = System.getenv("BENCH_JVM_OPTS"); // e.g. a JFR recording, for profiling
    if (extra != null && !extra.isBlank()) {
      jvm.addAll(Arrays.asList(extra.trim().split("\\s+")));
    }
  }

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    int rounds = -1;
    Set<String> only = new LinkedHashSet<>(List.of("tput", "pp", "srv", "hs", "scale"));
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick": quick = true; break;
        case "--rounds": rounds = Integer.parseInt(args[++i]); break;
        case "--only": only = new LinkedHashSet<>(Arrays.asList(args[++i].split(","))); break;
        case "--out": out = Path.of(args[++i]); break;
        default: throw new IllegalArgumentException("unknown option " + args[i]
            + " (use --quick, --rounds N, --only tput,pp,srv,hs,scale, --out FILE)");
      }
    }
    if (rounds < 0) {
      rounds = 5;
    }
    Path pki = Files.createTempDirectory("sockscript-bench-pki-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> Util.deleteTree(pki)));
    Pki.generate(pki);
    Path log = Path.of(System.getProperty("bench.log", "target/bench-children.log")).toAbsolutePath();
    Files.deleteIfExists(log);
    Main m = new Main(rounds, quick, pki, log);
    long t0 = System.nanoTime();
    m.run(only);
    String report = m.report(only, (System.nanoTime() - t0) / 1e9);
    System.out.print(report);
    if (out != null) {
      Files.writeString(out, report);
    }
    System.exit(m.failures.isEmpty() ? 0 : 1);
  }

  void run(Set<String> only) throws Exception {
    if (only.contains("tput")) {
      long bytes = quick ? 64L << 20 : 1L << 30;
      double seconds = quick ? 3 : 10;
      long warmup = quick ? 16L << 20 : 128L << 20;
      for (int r = 0; r < rounds; r++) {
        for (String v : rotate(TPUT, r)) {
          child("tput." + v, r, List.of(), seconds * 4 + 120, Throughput.class.getName(),
              v, String.valueOf(bytes), String.valueOf(seconds), String.valueOf(warmup));
        }
      }
    }
    if (only.contains("pp")) {
      String warm = quick ? "500" : "2000";
      String iters = quick ? "2000" : "10000";
      String secs = quick ? "2" : "5";
      double limit = rounds * 12 * (Double.parseDouble(secs) + 5) + 180;
      child(null, -1, List.of(), limit, PingPong.class.getName(), "unpinned", String.valueOf(rounds), warm, iters, secs);
      child(null, -1, List.of("taskset", "-c", "0"), limit, PingPong.class.getName(), "pinned",
          String.valueOf(rounds), warm, iters, secs);
    }
    if (only.contains("srv")) {
      String warm = quick ? "1" : "3";
      String secs = quick ? "2" : "5";
      child(null, -1, List.of(), rounds * 3 * 20 + 180, ScriptingServer.class.getName(), String.valueOf(rounds), "64", warm, secs);
    }
    if (only.contains("hs")) {
      String count = quick ? "60" : "300";
      String secs = quick ? "2" : "5";
      child(null, -1, List.of(), rounds * 8 * 12 + 180, Handshakes.class.getName(), String.valueOf(rounds), count, secs);
    }
    if (only.contains("scale")) {
      for (int r = 0; r < rounds; r++) {
        for (String v : rotate(SCALE, r)) {
          int n = v.startsWith("tls") ? (quick ? 500 : 5000) : (quick ? 1500 : 15000);
          child("scale." + v, r, List.of(), 600, Scale.class.getName(), v, String.valueOf(n));
        }
      }
    }
  }

  static List<String> rotate(List<String> list, int r) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(list.get((i + r) % list.size()));
    }
    return out;
  }

  /** Runs one bench process; its {@code RESULT} lines go to {@link #results}. */
  void child(String prefix, int round, List<String> launcher, double timeoutSeconds, String main,
      String... args) throws Exception {
    List<String> cmd = new ArrayList<>(launcher);
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvm);
    cmd.add("-Dbench.pki=" + pki);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main);
    cmd.addAll(Arrays.asList(args));
    String what = (launcher.isEmpty() ? "" : String.join(" ", launcher) + " ")
        + main.substring(main.lastIndexOf('.') + 1) + " " + String.join(" ", args);
    System.err.printf(Locale.ROOT, "bench: %s%s%n", what, round >= 0 ? "   (round " + (round + 1) + "/" + rounds + ")" : "");
    Files.writeString(log, "==== " + what + "\n", java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    Thread killer = new Thread(() -> {
      try {
        if (!p.waitFor((long) timeoutSeconds, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        // done
      }
    });
    killer.setDaemon(true);
    killer.start();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.startsWith("RESULT ")) {
          Files.writeString(log, line + "\n", java.nio.file.StandardOpenOption.APPEND);
          continue;
        }
        String[] f = line.split(" ");
        String key = f[1];
        int r = round;
        int hash = key.indexOf('#');
        if (hash >= 0) {
          r = Integer.parseInt(key.substring(hash + 1));
          key = key.substring(0, hash);
        }
        if (prefix != null) {
          key = prefix + "." + key;
        }
        results.computeIfAbsent(key, k -> {
          double[] v = new double[rounds];
          Arrays.fill(v, Double.NaN);
          return v;
        })[r] = Double.parseDouble(f[2]);
      }
    }
    int code = p.waitFor();
    killer.interrupt();
    if (code != 0) {
      String failure = what + " exited with " + code + " (see " + log + ")";
      failures.add(failure);
      System.err.println("bench: FAILED: " + failure);
    }
  }

  // ---- the report ---------------------------------------------------------------------------

  /** min, median, max of the rounds that have a value; null if none has. */
  static double[] stats(double[] v) {
    double[] ok = v == null ? new double[0] : Arrays.stream(v).filter(d -> !Double.isNaN(d)).toArray();
    if (ok.length == 0) {
      return null;
    }
    return new double[] {Arrays.stream(ok).min().getAsDouble(), Util.median(ok), Arrays.stream(ok).max().getAsDouble()};
  }

  double[] ratio(String a, String b) {
    return over(results.get(a), results.get(b));
  }

  /** A per-round ratio as {@code median (min–max)}, or n/a. */
  /** Per round, {@code a / b}; null if either is. */
  double[] over(double[] a, double[] b) {
    if (a == null || b == null) {
      return null;
    }
    double[] q = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      q[r] = a[r] / b[r];
    }
    return q;
  }

  static String ratioCell(double[] ratio) {
    double[] q = stats(ratio);
    return q == null ? "n/a" : num(q[1]) + " (" + num(q[0]) + "–" + num(q[2]) + ")";
  }

  static String num(double d) {
    if (Double.isNaN(d)) {
      return "n/a";
    }
    double a = Math.abs(d);
    String f = a >= 1000 ? "%.0f" : a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, f, d);
  }

  String cell(String key) {
    double[] s = stats(results.get(key));
    return s == null ? "n/a" : num(s[1]);
  }

  String spread(String key) {
    double[] s = stats(results.get(key));
    return s == null ? "n/a" : num(s[1]) + " (" + num(s[0]) + "–" + num(s[2]) + ")";
  }

  final StringBuilder targets = new StringBuilder();

  /** One target row: ratio a/b per round, against {@code goal} (≤ if {@code atMost}). */
  void target(String name, double[] q, double goal, boolean atMost) {
    double[] s = stats(q);
    String verdict;
    if (s == null) {
      verdict = "not measured";
    } else {
      boolean met = atMost ? s[1] <= goal : s[1] >= goal;
      boolean all = atMost ? s[2] <= goal : s[0] >= goal;
      verdict = met ? (all ? "**met**" : "**met** (median; not every round)") : "**not met**";
    }
    targets.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s %s | %s |%n", name,
        s == null ? "n/a" : num(s[0]), s == null ? "n/a" : num(s[1]), s == null ? "n/a" : num(s[2]),
        atMost ? "≤" : "≥", num(goal), verdict));
  }

  String report(Set<String> only, double seconds) {
    StringBuilder o = new StringBuilder();
    o.append(String.format(Locale.ROOT, "%n## sockscript benchmarks%n%n"));
    o.append(String.format(Locale.ROOT, "%s mode, %d rounds, %.0f s; JDK %s (%s); Conscrypt %s; Netty %s; %d CPUs; %s%n%n",
        quick ? "quick" : "full", rounds, seconds, System.getProperty("java.version"),
        System.getProperty("java.vm.name"), Util.conscryptVersion(), io.netty.util.Version.identify().values().stream()
            .filter(v -> v.artifactId().equals("netty-common")).map(v -> v.artifactVersion()).findFirst().orElse("?"),
        Runtime.getRuntime().availableProcessors(), Util.loadAverage()));
    String lib = System.getProperty("bench.library", "");
    if (!lib.isEmpty()) {
      o.append("Library measured: " + lib + ".\n\n");
    }
    o.append("Each cell: median over rounds (min–max). Ratios are taken within each round.\n\n");

    if (only.contains("tput")) {
      o.append("### Bulk throughput, one connection, 64 KiB writes (each end the same kind)\n\n");
      o.append("| variant | MiB/s | CPU s per GiB (both ends) | peak RSS MiB (process) | MiB sent |\n|---|---|---|---|---|\n");
      for (String v : TPUT) {
        String k = "tput." + v;
        o.append("| " + v + " | " + spread(k + ".mib_s") + " | " + cell(k + ".cpu_s_per_gib") + " | "
            + spread(k + ".hwm_mib") + " | " + cell(k + ".mib") + " |\n");
      }
      o.append("\n");
    }
    if (only.contains("pp")) {
      o.append("### Ping-pong, 64-byte request and response, µs per round trip\n\n");
      o.append("`x→netty`: sockscript client against the Netty echo server (the common peer); `-pair`: sockscript on both ends.\n\n");
      o.append("| variant | pinned median | pinned p99 | unpinned median | unpinned p99 | context switches per round trip (pinned) |\n|---|---|---|---|---|---|\n");
      for (String t : List.of("plain", "tls")) {
        for (String v : List.of(t.equals("tls") ? "jdk" : "nio", "netty", "sockscript-callback", "sockscript-direct",
            "sockscript-blocking", "sockscript-callback-pair", "sockscript-blocking-pair")) {
          String label = t + "." + v + (v.startsWith("sockscript") && !v.endsWith("pair") ? "→netty" : "");
          String p = "pp.pinned." + t + "." + v;
          String u = "pp.unpinned." + t + "." + v;
          o.append("| " + label + " | " + spread(p + ".median_us") + " | " + spread(p + ".p99_us") + " | "
              + spread(u + ".median_us") + " | " + spread(u + ".p99_us") + " | " + cell(p + ".switches") + " |\n");
        }
      }
      o.append("\n");
    }
    if (only.contains("srv")) {
      o.append("### A server under 64 clients at once, 64-byte request and reply, plain (round trips/s, all clients)\n\n");
      o.append("| server | round trips/s | / Netty |\n|---|---|---|\n");
      for (String v : ScriptingServer.VARIANTS) {
        o.append("| " + v + " | " + spread("srv." + v + ".rt_per_s") + " | "
            + ratioCell(ratio("srv." + v + ".rt_per_s", "srv.netty.rt_per_s")) + " |\n");
      }
      o.append("\n");
    }
    if (only.contains("hs")) {
      o.append("### Connection set-up, sequential\n\n| figure | value |\n|---|---|\n");
      for (String v : List.of("sockscript", "netty", "jdk")) {
        o.append("| full TLS 1.3 handshakes/s, " + v + " (connect, handshake, close) | " + spread("hs." + v + ".per_s") + " |\n");
      }
      for (String v : List.of("sockscript", "netty")) {
        o.append("| resumed TLS 1.3 handshakes/s, " + v + " (connect, resumption, close) | " + spread("hs." + v + "-resumed.per_s") + " |\n");
      }
      o.append("| ratio resumed/full, sockscript | " + ratioCell(ratio("hs.sockscript-resumed.per_s", "hs.sockscript.per_s")) + " |\n");
      o.append("| sockscript `openSecure` + close, ms | " + spread("secure.openSecure.ms") + " |\n");
      o.append("| sockscript `open` + `secure` + handshake + close, ms | " + spread("secure.open+secure.ms") + " |\n");
      o.append("| sockscript plain `open` + close, ms | " + spread("secure.open-plain.ms") + " |\n");
      o.append("| ratio open+secure / openSecure | " + ratioCell(ratio("secure.open+secure.ms", "secure.openSecure.ms")) + " |\n\n");
    }
    if (only.contains("scale")) {
      o.append("### Scale: idle client connections in one process, peer in another\n\n");
      o.append("| variant | connections | heap B/conn | RSS B/conn | I/O threads | threads added | fds/conn | opens/s |\n|---|---|---|---|---|---|---|---|\n");
      for (String v : SCALE) {
        String k = "scale." + v;
        o.append("| " + v + " | " + cell(k + ".connections") + " | " + spread(k + ".heap_per_conn") + " | "
            + spread(k + ".rss_per_conn") + " | " + cell(k + ".io_threads") + " | " + cell(k + ".threads_added")
            + " | " + cell(k + ".fds_per_conn") + " | " + cell(k + ".open_per_s") + " |\n");
      }
      o.append("\n");
    }

    targets.setLength(0);
    if (only.contains("tput")) {
      target("TLS throughput: sockscript / Netty+Conscrypt", ratio("tput.tls-sockscript.mib_s", "tput.tls-netty.mib_s"), 1.3, false);
      target("TLS throughput: sockscript TLS / raw NIO plain", ratio("tput.tls-sockscript.mib_s", "tput.plain-nio.mib_s"), 0.35, false);
      target("plain throughput: sockscript / raw NIO", ratio("tput.plain-sockscript.mib_s", "tput.plain-nio.mib_s"), 0.75, false);
      target("peak RSS of the TLS throughput run: sockscript / Netty", ratio("tput.tls-sockscript.hwm_mib", "tput.tls-netty.hwm_mib"), 1.5, true);
      target("peak RSS of the plain throughput run: sockscript / Netty", ratio("tput.plain-sockscript.hwm_mib", "tput.plain-netty.hwm_mib"), 1.5, true);
      String script = " (blocking-write sender, callback-read receiver)";
      target("TLS throughput: sockscript" + script + " / sockscript", ratio("tput.tls-sockscript-script.mib_s", "tput.tls-sockscript.mib_s"), 0.85, false);
      target("plain throughput: sockscript" + script + " / sockscript", ratio("tput.plain-sockscript-script.mib_s", "tput.plain-sockscript.mib_s"), 0.85, false);
      String in = " (reader reads into an array)";
      target("TLS throughput: sockscript" + in + " / Netty+Conscrypt", ratio("tput.tls-sockscript-into.mib_s", "tput.tls-netty.mib_s"), 1.5, false);
      target("plain throughput: sockscript" + in + " / raw NIO", ratio("tput.plain-sockscript-into.mib_s", "tput.plain-nio.mib_s"), 0.9, false);
      target("peak RSS of the TLS throughput run: sockscript" + in + " / Netty", ratio("tput.tls-sockscript-into.hwm_mib", "tput.tls-netty.hwm_mib"), 1.0, true);
      target("peak RSS of the plain throughput run: sockscript" + in + " / Netty", ratio("tput.plain-sockscript-into.hwm_mib", "tput.plain-netty.hwm_mib"), 1.0, true);
    }
    if (only.contains("pp")) {
      for (String t : List.of("tls", "plain")) {
        String p = "pp.pinned." + t + ".";
        target("pinned " + t + " ping-pong median: sockscript callback / Netty", ratio(p + "sockscript-callback.median_us", p + "netty.median_us"), 1.3, true);
        target("pinned " + t + " ping-pong median: sockscript direct callback (IO_THREAD) / Netty", ratio(p + "sockscript-direct.median_us", p + "netty.median_us"), 0.8, true);
        target("pinned " + t + " ping-pong median: sockscript blocking / Netty", ratio(p + "sockscript-blocking.median_us", p + "netty.median_us"), 1.0, true);
        double[] nettyTail = ratio(p + "netty.p99_us", p + "netty.median_us");
        for (String v : List.of("callback", "direct", "blocking")) {
          target("pinned " + t + " ping-pong: sockscript " + v + " (p99 / median) / Netty's (p99 / median)",
              over(ratio(p + "sockscript-" + v + ".p99_us", p + "sockscript-" + v + ".median_us"), nettyTail), 1.0, true);
        }
      }
    }
    if (only.contains("srv")) {
      target("64 clients: sockscript server in sample 01's blocking style / Netty echo", ratio("srv.sockscript-blocking.rt_per_s", "srv.netty.rt_per_s"), 0.5, false);
      target("64 clients: sockscript callback server / Netty echo", ratio("srv.sockscript-callback.rt_per_s", "srv.netty.rt_per_s"), 0.8, false);
    }
    if (only.contains("hs")) {
      target("handshakes/s: sockscript / Netty", ratio("hs.sockscript.per_s", "hs.netty.per_s"), 1.0, false);
      target("resumed handshakes/s: sockscript / Netty", ratio("hs.sockscript-resumed.per_s", "hs.netty-resumed.per_s"), 1.0, false);
    }
    if (only.contains("scale")) {
      int tls = quick ? 500 : 5000;
      int plain = quick ? 1500 : 15000;
      target("TLS sockets open in one registry (" + tls + " asked)", results.get("scale.tls-sockscript.connections"), tls, false);
      target("plain sockets open in one registry (" + plain + " asked)", results.get("scale.plain-sockscript.connections"), plain, false);
      target("I/O threads with " + tls + " TLS sockets", results.get("scale.tls-sockscript.io_threads"), 2, true);
      target("I/O threads with " + plain + " plain sockets", results.get("scale.plain-sockscript.io_threads"), 2, true);
      target("heap per idle TLS connection: sockscript / Netty", ratio("scale.tls-sockscript.heap_per_conn", "scale.tls-netty.heap_per_conn"), 1.0, true);
    }
    o.append("### Targets\n\n| target | min | median | max | goal | verdict |\n|---|---|---|---|---|---|\n");
    o.append(targets).append("\n");
    if (!failures.isEmpty()) {
      o.append("### Failed processes\n\n");
      failures.forEach(f -> o.append("- " + f + "\n"));
      o.append("\n");
    }
    return o.toString();
  }
}
