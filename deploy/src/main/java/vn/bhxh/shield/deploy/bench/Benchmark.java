package vn.bhxh.shield.deploy.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import vn.bhxh.shield.topic.Topics;

/**
 * The benchmark command: in one run, on one broker, measures the floors (bare producer, bare consumer,
 * pass-through Streams app), the processor's drain rate, ingest's HTTP throughput alone (closed loop, {@link Wrk})
 * against a trivial endpoint on the same stack, end-to-end latency at fixed offered loads (open loop,
 * {@link OpenLoopLoad}), the highest sustained rate by stepping the offered load, and the processor's memory and
 * restore time, then writes {@code report.md} and charts. Arguments: {@code quick|full} and the output directory.
 */
public final class Benchmark {

    private final BenchSettings settings;
    /** The p99 (ms) a level of the step search must keep to pass: issue 14's definition of sustained. */
    static final int HIGHEST_P99_MS = 1_000;

    /** One level of the step search. */
    record Step(int run, int offered, EndToEndLatency.Level level, boolean passed) {
    }

    private final Samples samples = new Samples();
    private final List<Step> steps = new ArrayList<>();

    Benchmark(BenchSettings settings) {
        this.settings = settings;
        // The charts are drawn off-screen, on machines without a display.
        System.setProperty("java.awt.headless", "true");
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "quick";
        Path out = Path.of(args.length > 1 ? args[1] : "target/benchmark").toAbsolutePath();
        Path report = new Benchmark(BenchSettings.of(mode, out)).run();
        System.out.println("\n" + Files.readString(report));
        System.out.println("report: " + report);
    }

    /** Runs every measurement and writes the report; returns its path. */
    Path run() throws Exception {
        Instant started = Instant.now();
        Path work = settings.outDir().resolve("work");
        deleteRecursively(work);
        say("benchmark, " + settings.mode() + " mode, " + settings.repeats() + " run(s) per figure; logs in "
                + work.resolve("logs"));
        int recordBytes;
        List<String> latencyLabels = new ArrayList<>();
        try (BenchCluster cluster = new BenchCluster(work)) {
            Thread hook = new Thread(() -> closeQuietly(cluster), "bench-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            Apps apps = new Apps(cluster, settings);

            recordBytes = Floors.reportRecordBytes(cluster, settings);
            say("records of " + recordBytes + " bytes, like the serialised reports");
            Floors floors = new Floors(cluster, settings, samples);
            ProcessorThroughput processors = new ProcessorThroughput(cluster, settings, samples, apps);
            long phase = System.nanoTime();
            processors.preload();
            phase = timed("preload", phase);
            Apps.Running processor = null;
            for (int run = 1; run <= settings.repeats(); run++) {
                floors.measure(recordBytes);
                processor = processors.measure(run, run == settings.repeats());
                samples.add("ratio.processor", last("processor") / last("passthrough"));
                samples.add("ratio.processor.percent", 100 * last("ratio.processor"));
                samples.add("ratio.passthrough.producer", last("passthrough") / last("floor.producer"));
            }
            cluster.stop(processor.process());
            phase = timed("drains", phase);

            IngestThroughput http = new IngestThroughput(cluster, settings, samples);
            Apps.Running trivial = apps.trivialEndpoint("bench-trivial");
            Apps.Running ingest = apps.ingest("bench-ingest");
            for (int run = 1; run <= settings.repeats(); run++) {
                http.measure("trivial", trivial.port(), run);
                http.measure("ingest", ingest.port(), run);
                samples.add("ratio.ingest", last("ingest.rps") / last("trivial.rps"));
            }
            cluster.stop(trivial.process());
            phase = timed("http", phase);

            processor = apps.processor(processor.applicationId());
            cluster.awaitHealthy(processor.process(), processor.port());
            EndToEndLatency latency = new EndToEndLatency(cluster, settings, samples);
            GroupDrain caughtUp = new GroupDrain(cluster, Topics.INDICATOR_EVENTS);
            for (int load : settings.offeredLoads()) {
                latencyLabels.add(Integer.toString(load));
            }
            long searching = 0;
            for (int run = 1; run <= settings.repeats(); run++) {
                for (int load : settings.offeredLoads()) {
                    awaitCaughtUp(caughtUp, processor);
                    latency.measure(Integer.toString(load), load, settings.latencyRun(), ingest.port(), run);
                }
                long search = System.nanoTime();
                samples.add("highest", searchHighest(run, latency, caughtUp, processor, ingest.port()));
                searching += System.nanoTime() - search;
            }
            cluster.stop(ingest.process());
            cluster.stop(processor.process());
            samples.add("time.steps", searching / 1e9);
            phase = timed("latency", phase + searching);

            new StateFootprint(cluster, settings, samples, apps).measure(processor.applicationId());
            timed("state", phase);
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        Path report = new BenchReport(settings, samples, recordBytes, latencyLabels, steps, started).write();
        say("done in " + Duration.between(started, Instant.now()).toSeconds() + " s");
        return report;
    }

    Samples samples() {
        return samples;
    }

    /**
     * The highest sustained rate, found by stepping the offered load up ({@link BenchSettings.StepSearch}) until a
     * level fails: p99 over {@value #HIGHEST_P99_MS} ms, under 95 % of the offered rate achieved, a request
     * unanswered or a probe not seen. Returns the last level that passed (0 when none did).
     */
    private int searchHighest(int run, EndToEndLatency latency, GroupDrain caughtUp, Apps.Running processor,
                              int ingestPort) throws Exception {
        int highest = 0;
        int rate = settings.steps().start();
        for (int level = 0; level < settings.steps().maxLevels(); level++, rate = settings.steps().next(rate)) {
            awaitCaughtUp(caughtUp, processor);
            EndToEndLatency.Level result = latency.measure("step" + run + "-" + rate, rate,
                    settings.steps().levelRun(), ingestPort, run);
            boolean passed = result.sustained() && result.p99ms() <= HIGHEST_P99_MS;
            steps.add(new Step(run, rate, result, passed));
            samples.add("steps.levels", 1);
            say(String.format(Locale.ROOT, "step search #%d: %d/s offered, %.0f/s achieved, p99 %.0f ms: %s", run,
                    rate, result.achieved(), result.p99ms(), passed ? "passed" : "failed"));
            if (!passed) {
                samples.add("steps.failedAt", rate);
                break;
            }
            highest = rate;
        }
        return highest;
    }

    /**
     * Each level starts on a processor with nothing left to do: the ingest figures' reports (or a failed level's)
     * would otherwise be the next level's backlog, and its latency.
     */
    private static void awaitCaughtUp(GroupDrain caughtUp, Apps.Running processor) throws Exception {
        try (ProgressBar progress = Progress.of("processor catches up", 1, "offsets")) {
            caughtUp.await(processor.applicationId(), processor.process(), Duration.ofMinutes(30), progress);
        }
    }

    /** Adds the seconds since {@code since} as {@code time.<phase>}; returns now, the next phase's start. */
    private long timed(String phase, long since) {
        long now = System.nanoTime();
        samples.add("time." + phase, (now - since) / 1e9);
        return now;
    }

    private double last(String figure) {
        List<Double> all = samples.all(figure);
        return all.get(all.size() - 1);
    }

    private static void closeQuietly(BenchCluster cluster) {
        try {
            cluster.close();
        } catch (Exception e) {
            System.err.println("could not stop the benchmark's processes: " + e);
        }
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    static void say(String line) {
        System.out.println(String.format(Locale.ROOT, "[bench %tT] %s", java.time.LocalTime.now(), line));
    }
}
