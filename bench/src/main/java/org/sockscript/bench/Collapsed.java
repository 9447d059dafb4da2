package org.sockscript.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Summarises an async-profiler "collapsed" file (one {@code frame;frame;... count} line per
 * stack, thread first): the busiest threads, then the hottest frames by self and by total time,
 * optionally for the threads whose name contains a filter. Used by {@code bench/profile}.
 *
 * <p>{@code Collapsed <file> [threadFilter] [topN]}
 */
public final class Collapsed {

  public static void main(String[] args) throws Exception {
    String filter = args.length > 1 && !args[1].isEmpty() ? args[1] : null;
    int top = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> total = new HashMap<>();
    Map<String, Long> threads = new HashMap<>();
    long all = 0;
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      long n = Long.parseLong(line.substring(space + 1).trim());
      String[] frames = line.substring(0, space).split(";");
      String thread = frames[0].replaceAll(" tid=\\d+", "").replaceAll("(-\\d+)-\\d+]$", "$1-N]");
      if (filter != null && !frames[0].contains(filter)) {
        continue;
      }
      all += n;
      threads.merge(thread, n, Long::sum);
      self.merge(frames[frames.length - 1], n, Long::sum);
      Set<String> seen = new HashSet<>();
      for (String f : frames) {
        if (seen.add(f)) {
          total.merge(f, n, Long::sum);
        }
      }
    }
    System.out.printf(Locale.ROOT, "%d samples%s%n%n-- threads%n", all, filter == null ? "" : " in threads matching " + filter);
    print(threads, all, 12);
    System.out.printf("%n-- self%n");
    print(self, all, top);
    System.out.printf("%n-- total (inclusive)%n");
    print(total, all, top * 2);
  }

  private static void print(Map<String, Long> counts, long all, int n) {
    counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(n)
        .forEach(e -> System.out.printf(Locale.ROOT, "%5.1f%%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
  }
}
