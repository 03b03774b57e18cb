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
 * pass-through Streams app), the processor's sustained throughput, end-to-end latency at fixed offered loads,
 * ingest's HTTP throughput against a trivial endpoint on the same stack, and the processor's memory and restore
 * time, then writes {@code report.md} and charts. Arguments: {@code quick|full} and the output directory.
 */
public final class Benchmark {

    private final BenchSettings settings;
    private final Samples samples = new Samples();

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
            processors.preload();
            Apps.Running processor = null;
            for (int run = 1; run <= settings.repeats(); run++) {
                floors.measure(recordBytes);
                processor = processors.measure(run, run == settings.repeats());
                samples.add("ratio.processor", last("processor") / last("passthrough"));
                samples.add("ratio.passthrough.producer", last("passthrough") / last("floor.producer"));
            }
            cluster.stop(processor.process());

            IngestThroughput http = new IngestThroughput(cluster, settings, samples);
            Apps.Running trivial = apps.trivialEndpoint("bench-trivial");
            Apps.Running ingest = apps.ingest("bench-ingest");
            for (int run = 1; run <= settings.repeats(); run++) {
                http.measure("trivial", trivial.port(), run);
                http.measure("ingest", ingest.port(), run);
                samples.add("ratio.ingest", last("ingest.rps") / last("trivial.rps"));
            }
            cluster.stop(trivial.process());

            processor = apps.processor(processor.applicationId());
            cluster.awaitHealthy(processor.process(), processor.port());
            EndToEndLatency latency = new EndToEndLatency(cluster, settings, samples);
            List<Double> loads = new ArrayList<>();
            for (int load : settings.offeredLoads()) {
                latencyLabels.add(Integer.toString(load));
                loads.add((double) load);
            }
            double highest = highestSustainable();
            latencyLabels.add("highest");
            loads.add(highest);
            GroupDrain caughtUp = new GroupDrain(cluster, Topics.INDICATOR_EVENTS);
            for (int run = 1; run <= settings.repeats(); run++) {
                for (int i = 0; i < loads.size(); i++) {
                    // Each level starts on a processor with nothing left to do: the ingest figures' reports (or
                    // an unsustained level's) would otherwise be the next level's backlog, and its latency.
                    try (ProgressBar progress = Progress.of("processor catches up", 1, "offsets")) {
                        caughtUp.await(processor.applicationId(), processor.process(), Duration.ofMinutes(30),
                                progress);
                    }
                    latency.measure(latencyLabels.get(i), loads.get(i), ingest.port(), run);
                }
            }
            cluster.stop(ingest.process());
            cluster.stop(processor.process());

            new StateFootprint(cluster, settings, samples, apps).measure(processor.applicationId());
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        Path report = new BenchReport(settings, samples, recordBytes, latencyLabels, started).write();
        say("done in " + Duration.between(started, Instant.now()).toSeconds() + " s");
        return report;
    }

    Samples samples() {
        return samples;
    }

    /** 80 % of the slower of ingest and processor, rounded down to two significant digits. */
    private double highestSustainable() {
        double limit = Math.min(samples.median("ingest.rps").orElseThrow(), samples.median("processor").orElseThrow());
        double target = 0.8 * limit;
        double scale = Math.pow(10, Math.max(0, Math.floor(Math.log10(target)) - 1));
        return Math.max(1, Math.floor(target / scale) * scale);
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
