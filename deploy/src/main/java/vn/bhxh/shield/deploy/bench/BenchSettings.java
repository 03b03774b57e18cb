package vn.bhxh.shield.deploy.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How big and how long each measurement is. {@code quick} fits in CI (under 3 minutes, figures only indicative);
 * {@code full} is the one to publish: 2M-record drains, longer runs, every figure repeated {@code repeats} times
 * (35 to 50 minutes on an idle 2-core machine, most of it the drains and the 10M-indicator state; each report's
 * header estimates it from its own rates). {@code bench.repeats}, {@code bench.seed} and {@code bench.jvm} (the services' JVM
 * options; system properties) override the mode's values.
 */
public record BenchSettings(String mode, long seed, int repeats, Path outDir, int floorRecords, int drainRecords,
                            int numbers, int domains, List<Integer> offeredLoads, Duration latencyRun,
                            Duration probeGrace, StepSearch steps, int httpClients, Duration httpWarmUp,
                            Duration httpRun, List<Integer> stateIndicators, int restoreIndicators,
                            int commitIntervalMs, String serviceJvmOptions) {

    /** Like the local stack's services: small heaps and the serial collector on a 2-core machine. */
    static final String SERVICE_JVM_OPTIONS = "-Xmx384m -XX:+UseSerialGC";

    /**
     * The search for the highest sustained rate: offered loads from {@code start}, each {@code factor} times the
     * last, {@code levelRun} each, until one fails (or {@code maxLevels} passed).
     */
    record StepSearch(int start, double factor, Duration levelRun, int maxLevels) {
        /** The level after {@code rate}, rounded to 50 reports/s. */
        int next(int rate) {
            return (int) Math.round(rate * factor / 50) * 50;
        }
    }

    public static BenchSettings of(String mode, Path outDir) {
        long seed = Long.getLong("bench.seed", 20260701L);
        String jvm = System.getProperty("bench.jvm", "").isBlank() ? SERVICE_JVM_OPTIONS
                : System.getProperty("bench.jvm").strip();
        String repeats = System.getProperty("bench.repeats", "");
        BenchSettings settings = switch (mode) {
            case "quick" -> new BenchSettings(mode, seed, 1, outDir, 200_000, 40_000, 20_000, 2_000,
                    List.of(100, 1_000), Duration.ofSeconds(6), Duration.ofSeconds(10),
                    new StepSearch(1_000, 1.5, Duration.ofSeconds(4), 3), 64, Duration.ofSeconds(2),
                    Duration.ofSeconds(5), List.of(30_000), 30_000, 100, jvm);
            case "full" -> new BenchSettings(mode, seed, 3, outDir, 2_000_000, 2_000_000, 1_000_000, 50_000,
                    List.of(100, 1_000), Duration.ofSeconds(20), Duration.ofSeconds(20),
                    new StepSearch(1_000, 1.25, Duration.ofSeconds(10), 14), 64, Duration.ofSeconds(15),
                    Duration.ofSeconds(20), List.of(1_000_000, 10_000_000), 1_000_000, 100, jvm);
            default -> throw new IllegalArgumentException("bench mode must be quick or full, not " + mode);
        };
        return repeats.isBlank() ? settings : settings.withRepeats(Integer.parseInt(repeats.strip()));
    }

    BenchSettings withRepeats(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("bench.repeats must be at least 1");
        }
        return new BenchSettings(mode, seed, count, outDir, floorRecords, drainRecords, numbers, domains,
                offeredLoads, latencyRun, probeGrace, steps, httpClients, httpWarmUp, httpRun, stateIndicators,
                restoreIndicators, commitIntervalMs, serviceJvmOptions);
    }

    ReportGenerator.Options generatorOptions(long streamSeed) {
        return ReportGenerator.Options.realistic(seed * 31 + streamSeed, numbers, domains);
    }
}
