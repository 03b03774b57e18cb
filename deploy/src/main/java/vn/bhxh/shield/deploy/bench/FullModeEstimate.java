package vn.bhxh.shield.deploy.bench;

import java.util.List;

/**
 * How long full mode takes on this machine, from any run's phase times and rates: so that a quiet window of the
 * right length can be booked before the figures to publish are measured. Each phase is split into the part that
 * grows with the mode's sizes (records at the measured rates, levels at their lengths) and a fixed part per run
 * (JVM starts, joins, catch-ups), taken from this run as it was.
 */
final class FullModeEstimate {

    /** The phases {@link Benchmark} times, in order ({@code time.<phase>} samples, seconds). */
    static final List<String> PHASES = List.of("preload", "drains", "http", "latency", "steps", "state");

    private FullModeEstimate() {
    }

    static double minutes(Samples samples, BenchSettings measured) {
        BenchSettings full = BenchSettings.of("full", measured.outDir());
        double runs = measured.repeats();
        double producer = rate(samples, "floor.producer");
        double consumer = rate(samples, "floor.consumer");
        // A drain's rate is taken over its middle 80 %; the whole drain takes about 1/0.8 of that time.
        double drain = 1.25 * (1 / rate(samples, "passthrough") + 1 / rate(samples, "processor"));

        double records = samples.median("backlog.records").orElse((double) measured.drainRecords());
        double preload = time(samples, "preload") * full.drainRecords() / records;

        double drainsOf = measured.floorRecords() / producer + measured.floorRecords() / consumer
                + measured.drainRecords() * drain;
        double drainsFixed = Math.max(0, time(samples, "drains") / runs - drainsOf);
        double drains = full.repeats() * (full.floorRecords() / producer + full.floorRecords() / consumer
                + full.drainRecords() * drain + drainsFixed);

        double httpOf = 2 * (measured.httpWarmUp().toSeconds() + measured.httpRun().toSeconds());
        double http = full.repeats() * (2 * (full.httpWarmUp().toSeconds() + full.httpRun().toSeconds())
                + Math.max(0, time(samples, "http") / runs - httpOf));

        int levels = measured.offeredLoads().size();
        double latencyFixedPerLevel = Math.max(0, (time(samples, "latency") / runs
                - levels * measured.latencyRun().toSeconds()) / levels);
        // The first level also catches up on the reports the HTTP phase wrote (about 1.1 records each).
        double ingestBacklog = rate(samples, "ingest.rps") * full.repeats()
                * (full.httpWarmUp().toSeconds() + full.httpRun().toSeconds()) * 1.1 / rate(samples, "processor");
        double latency = full.repeats() * full.offeredLoads().size()
                * (full.latencyRun().toSeconds() + latencyFixedPerLevel) + ingestBacklog;

        double measuredLevels = Math.max(1, samples.all("steps.levels").stream().mapToDouble(Double::doubleValue)
                .sum() / runs);
        double stepFixed = Math.max(0, (time(samples, "steps") / runs
                - measuredLevels * measured.steps().levelRun().toSeconds()) / measuredLevels);
        double steps = full.repeats() * levelsUpTo(full.steps(), limit(samples, measured))
                * (full.steps().levelRun().toSeconds() + stepFixed);

        double state = state(samples, measured, full, records / time(samples, "preload"));
        return (preload + drains + http + latency + steps + state) / 60;
    }

    /**
     * The state phase: each size's distinct reports written and drained (one record each), and the restores
     * after {@code kill -9} (the join is fixed, the restore grows with the state); the rest (JVM starts, waits for
     * the gauges) fixed per size.
     */
    private static double state(Samples samples, BenchSettings measured, BenchSettings full, double preloadRate) {
        double perRecord = 1 / Math.max(1, preloadRate) + 1 / rate(samples, "processor");
        String restore = "restore." + measured.restoreIndicators();
        double joinS = samples.median(restore + ".joinS").orElse(0.0);
        double restoreS = samples.median(restore + ".restoreS").orElse(0.0);
        double grown = largest(measured) * perRecord + measured.repeats() * restoreS;
        double fixedPerSize = Math.max(0, (time(samples, "state") - grown - measured.repeats() * joinS)
                / measured.stateIndicators().size());
        return largest(full) * perRecord + full.stateIndicators().size() * fixedPerSize
                + full.repeats() * (joinS + restoreS * full.restoreIndicators() / measured.restoreIndicators());
    }

    /** Each size adds distinct indicators on top of the last: the largest is how many are written in all. */
    private static double largest(BenchSettings settings) {
        return settings.stateIndicators().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** The rate at which the search fails: the first failing level seen, else what ingest and processor allow. */
    private static double limit(Samples samples, BenchSettings measured) {
        List<Double> failed = samples.all("steps.failedAt");
        if (!failed.isEmpty()) {
            return failed.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        }
        return Math.min(rate(samples, "ingest.rps"), rate(samples, "processor") / 1.1);
    }

    /** Levels the search runs before one above {@code limit} fails (that one included). */
    private static int levelsUpTo(BenchSettings.StepSearch search, double limit) {
        int levels = 1;
        for (int rate = search.start(); rate <= limit && levels < search.maxLevels(); rate = search.next(rate)) {
            levels++;
        }
        return levels;
    }

    private static double time(Samples samples, String phase) {
        return samples.median("time." + phase).orElse(0.0);
    }

    private static double rate(Samples samples, String figure) {
        return Math.max(1, samples.median(figure).orElse(1.0));
    }
}
