package vn.bhxh.shield.deploy.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How big and how long each measurement is. {@code quick} fits in CI (under 3 minutes, figures only indicative);
 * {@code full} is the one to publish: larger backlogs, longer runs, every figure repeated {@code repeats} times.
 * {@code bench.repeats}, {@code bench.seed} and {@code bench.jvm} (the services' JVM options; system properties)
 * override the mode's values.
 */
public record BenchSettings(String mode, long seed, int repeats, Path outDir, int floorRecords, int drainReports,
                            int numbers, int domains, List<Integer> offeredLoads, Duration latencyRun,
                            Duration probeGrace, int httpClients, Duration httpWarmUp, Duration httpRun,
                            List<Integer> stateIndicators, int restoreIndicators, int commitIntervalMs,
                            String serviceJvmOptions) {

    /** Like the local stack's services: small heaps and the serial collector on a 2-core machine. */
    static final String SERVICE_JVM_OPTIONS = "-Xmx384m -XX:+UseSerialGC";

    public static BenchSettings of(String mode, Path outDir) {
        long seed = Long.getLong("bench.seed", 20260701L);
        String jvm = System.getProperty("bench.jvm", "").isBlank() ? SERVICE_JVM_OPTIONS
                : System.getProperty("bench.jvm").strip();
        String repeats = System.getProperty("bench.repeats", "");
        BenchSettings settings = switch (mode) {
            case "quick" -> new BenchSettings(mode, seed, 1, outDir, 200_000, 20_000, 20_000, 2_000,
                    List.of(100, 1_000), Duration.ofSeconds(6), Duration.ofSeconds(10), 64, Duration.ofSeconds(2),
                    Duration.ofSeconds(5), List.of(30_000), 30_000, 100, jvm);
            case "full" -> new BenchSettings(mode, seed, 3, outDir, 2_000_000, 500_000, 1_000_000, 50_000,
                    List.of(100, 1_000, 5_000), Duration.ofSeconds(30), Duration.ofSeconds(30), 64,
                    Duration.ofSeconds(10), Duration.ofSeconds(30), List.of(1_000_000, 10_000_000), 1_000_000, 100,
                    jvm);
            default -> throw new IllegalArgumentException("bench mode must be quick or full, not " + mode);
        };
        return repeats.isBlank() ? settings : settings.withRepeats(Integer.parseInt(repeats.strip()));
    }

    BenchSettings withRepeats(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("bench.repeats must be at least 1");
        }
        return new BenchSettings(mode, seed, count, outDir, floorRecords, drainReports, numbers, domains,
                offeredLoads, latencyRun, probeGrace, httpClients, httpWarmUp, httpRun, stateIndicators,
                restoreIndicators, commitIntervalMs, serviceJvmOptions);
    }

    ReportGenerator.Options generatorOptions(long streamSeed) {
        return ReportGenerator.Options.realistic(seed * 31 + streamSeed, numbers, domains);
    }
}
