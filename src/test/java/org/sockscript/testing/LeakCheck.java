package org.sockscript.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Counts what a test could leak: open file descriptors ({@code /proc/self/fd}) and live threads.
 * Take a {@link #snapshot()} before the test builds anything, close everything, then
 * {@link #awaitBackTo} the snapshot: it polls (closing is partly asynchronous: an I/O thread
 * joins, an idle callback thread ends) and returns the counts it settled on, so a test can both
 * assert and print them.
 *
 * <pre>{@code
 * LeakCheck.Counts before = LeakCheck.snapshot();
 * ... open registries and peers, fail sockets, close them all ...
 * LeakCheck.Counts after = LeakCheck.awaitBackTo(before, Duration.ofSeconds(5));
 * assertThat(after.fds()).isLessThanOrEqualTo(before.fds());
 * }</pre>
 *
 * <p>Linux only (other systems report -1 file descriptors, and the fd check is skipped).
 */
public final class LeakCheck {

    private static final Path PROC_FD = Path.of("/proc/self/fd");

    private LeakCheck() {}

    /** Open descriptors and live threads at one moment, with their names for evidence. */
    public record Counts(int fds, int threads, List<String> fdTargets, List<String> threadNames) {

        /** {@code "fds=41 threads=17"}. */
        @Override
        public String toString() {
            return "fds=" + fds + " threads=" + threads;
        }

        /** What this snapshot holds that {@code earlier} did not: fd targets and thread names. */
        public String newSince(Counts earlier) {
            List<String> fdsNow = new ArrayList<>(fdTargets);
            earlier.fdTargets.forEach(fdsNow::remove);
            List<String> threadsNow = new ArrayList<>(threadNames);
            earlier.threadNames.forEach(threadsNow::remove);
            return "new fds " + fdsNow + ", new threads " + threadsNow;
        }
    }

    /** The counts now. */
    public static Counts snapshot() {
        List<String> targets = fdTargets();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<String> threads = Arrays.stream(mx.getThreadInfo(mx.getAllThreadIds(), 0))
                .filter(Objects::nonNull).map(ThreadInfo::getThreadName).sorted().toList();
        return new Counts(targets == null ? -1 : targets.size(), threads.size(),
                targets == null ? List.of() : targets, threads);
    }

    /**
     * Polls every 20 ms until both counts are at or below {@code baseline}, or {@code settle} has
     * passed; returns the last counts seen (which the caller asserts on).
     */
    public static Counts awaitBackTo(Counts baseline, Duration settle) throws InterruptedException {
        long deadline = System.nanoTime() + settle.toNanos();
        while (true) {
            // Poll cheaply (allocating little, so the wait itself does not invite a garbage collection
            // that would hide objects dropped unclosed), then confirm with a full snapshot.
            while (!(fdCount() <= baseline.fds() && threadCount() <= baseline.threads())
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Counts now = snapshot();
            if (isBackTo(now, baseline) || System.nanoTime() >= deadline) {
                return now;
            }
        }
    }

    /** Whether {@code now} holds no more descriptors and threads than {@code baseline}. */
    public static boolean isBackTo(Counts now, Counts baseline) {
        return now.fds() <= baseline.fds() && now.threads() <= baseline.threads();
    }

    private static int threadCount() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** Entries in /proc/self/fd, the listing's own descriptor included (as in {@link #snapshot}). */
    private static int fdCount() {
        String[] names = PROC_FD.toFile().list();
        return names == null ? -1 : names.length;
    }

    /** The targets of this process's open descriptors ({@code socket:[123]}, paths, ...), or null off Linux. */
    private static List<String> fdTargets() {
        if (!Files.isDirectory(PROC_FD)) {
            return null;
        }
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(PROC_FD)) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException gone) {
                    // closed while we listed: not open any more, so not counted
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + PROC_FD, e);
        }
        targets.sort(null);
        return targets;
    }
}
