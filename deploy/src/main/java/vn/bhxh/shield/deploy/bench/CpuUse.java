package vn.bhxh.shield.deploy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which process took the cores during a measurement: CPU time (user + system) of each process of the run and of
 * the whole machine from {@code /proc}, in cores (1.0 = one core busy all the time). On a shared 2-core machine a
 * latency figure means little without it: at a saturated level every process waits for the others.
 */
final class CpuUse {

    /** The machine's busy time, beside the processes'. */
    static final String MACHINE = "machine";
    /** Linux's USER_HZ: the unit of /proc's CPU times, 100 on every architecture the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private final Map<String, Long> pids;
    private final long startedNanos = System.nanoTime();
    private final Map<String, Long> startTicks;

    private CpuUse(Map<String, Long> pids) {
        this.pids = pids;
        this.startTicks = ticks();
    }

    /** Starts counting for {@code pids} (role to pid): the run's processes and the benchmark itself. */
    static CpuUse start(Map<String, Long> pids) {
        return new CpuUse(pids);
    }

    /** Cores used by each role, and by the machine, since {@link #start}. */
    Map<String, Double> cores() {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        Map<String, Long> now = ticks();
        Map<String, Double> cores = new LinkedHashMap<>();
        now.forEach((role, ticks) -> {
            Long before = startTicks.get(role);
            if (before != null) {
                cores.put(role, (ticks - before) / TICKS_PER_SECOND / seconds);
            }
        });
        return cores;
    }

    /** Adds {@code figure.cpu.<role>} (cores) to {@code samples}. */
    void addTo(Samples samples, String figure) {
        cores().forEach((role, cores) -> samples.add(figure + ".cpu." + role, cores));
    }

    private Map<String, Long> ticks() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        machineBusyTicks().ifPresent(busy -> ticks.put(MACHINE, busy));
        pids.forEach((role, pid) -> processTicks(pid).ifPresent(t -> ticks.put(role, t)));
        return ticks;
    }

    /** utime + stime of a process, or empty once it is gone. */
    private static Optional<Long> processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its end.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    /** Every CPU's busy time (user, nice, system, irq, softirq), from the first line of /proc/stat. */
    private static Optional<Long> machineBusyTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(fields.length, 8); i++) { // user to softirq: not steal, not guest
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(fields[i]);
                }
            }
            return Optional.of(busy);
        } catch (IOException | RuntimeException notLinux) {
            return Optional.empty();
        }
    }
}
