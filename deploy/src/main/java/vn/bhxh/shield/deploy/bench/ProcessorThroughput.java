package vn.bhxh.shield.deploy.bench;

import java.time.Duration;
import java.time.Instant;
import me.tongfei.progressbar.ProgressBar;
import vn.bhxh.shield.topic.Topics;

/**
 * Sustained throughput (over the middle 80 % of the drain, {@link GroupDrain}) of the real processor against the pass-through application: both drain the same backlog
 * of pre-loaded reports from the start of {@code bhxh.indicator-events.v1} (ingest's per-indicator records,
 * what the processor reads), each under a fresh application id (so with
 * empty state), one after the other in every repetition so that a noisy neighbour slows both alike.
 */
final class ProcessorThroughput {

    private static final Duration DRAIN_TIMEOUT = Duration.ofHours(2);
    private static final int PRELOAD_CHUNK = 10_000;

    private final BenchCluster cluster;
    private final BenchSettings settings;
    private final Samples samples;
    private final Apps apps;
    private final GroupDrain drain;

    ProcessorThroughput(BenchCluster cluster, BenchSettings settings, Samples samples, Apps apps) throws Exception {
        this.cluster = cluster;
        this.settings = settings;
        this.samples = samples;
        this.apps = apps;
        this.drain = new GroupDrain(cluster, Topics.INDICATOR_EVENTS);
        cluster.createTopic(PassThroughApp.OUTPUT,
                cluster.admin().describeTopics(java.util.List.of(Topics.INDICATOR_EVENTS)).allTopicNames().get()
                        .get(Topics.INDICATOR_EVENTS).partitions().size());
    }

    /**
     * Writes the backlog: reports of the realistic mix until their indicator records (what the processor drains)
     * number at least {@code drainRecords}.
     */
    void preload() {
        ReportGenerator generator = new ReportGenerator(settings.generatorOptions(1));
        long reports = 0;
        try (KafkaReportSink sink = new KafkaReportSink(cluster, "backlog");
             // Reports counted against the records wanted: the bar ends a little short (some have two indicators).
             ProgressBar progress = Progress.of("preload backlog", settings.drainRecords(), "reports")) {
            while (sink.indicatorRecordsSent() < settings.drainRecords()) {
                sink.send(PRELOAD_CHUNK, i -> generator.next(Instant.now()), progress);
                reports += PRELOAD_CHUNK;
            }
            samples.add("backlog.reports", reports);
            samples.add("backlog.records", sink.indicatorRecordsSent());
        }
    }

    /** One repetition; the processor is left running (caught up) when {@code keepProcessor}. */
    Apps.Running measure(int run, boolean keepProcessor) throws Exception {
        Apps.Running passThrough = apps.passThrough("bench-passthrough-" + run);
        try (ProgressBar progress = Progress.of("pass-through drain #" + run, 1, "offsets")) {
            GroupDrain.Result result = drain.await(passThrough.applicationId(), passThrough.process(), DRAIN_TIMEOUT,
                    progress);
            add("passthrough", result);
        } finally {
            cluster.stop(passThrough.process());
        }
        Apps.Running processor = apps.processor("bench-processor-" + run);
        try (ProgressBar progress = Progress.of("processor drain #" + run, 1, "offsets")) {
            GroupDrain.Result result = drain.await(processor.applicationId(), processor.process(), DRAIN_TIMEOUT,
                    progress);
            add("processor", result);
        }
        if (keepProcessor) {
            return processor;
        }
        cluster.stop(processor.process());
        return null;
    }

    /** The rate, the cores of every process, and the app's own CPU per record and per report. */
    private void add(String figure, GroupDrain.Result result) {
        samples.add(figure, result.perSecond());
        result.cores().forEach((role, cores) -> samples.add(figure + ".cpu." + role, cores));
        double perRecord = result.cpuMsPerRecord(figure);
        samples.add(figure + ".cpuMsPerRecord", perRecord);
        samples.add(figure + ".cpuMsPerReport", perRecord * samples.median("backlog.records").orElseThrow()
                / samples.median("backlog.reports").orElseThrow());
    }
}
