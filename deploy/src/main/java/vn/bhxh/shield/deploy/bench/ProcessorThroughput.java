package vn.bhxh.shield.deploy.bench;

import java.time.Duration;
import java.time.Instant;
import me.tongfei.progressbar.ProgressBar;
import vn.bhxh.shield.topic.Topics;

/**
 * Sustained throughput of the real processor against the pass-through application: both drain the same backlog
 * of pre-loaded reports from the start of {@code bhxh.indicator-events.v1} (ingest's per-indicator records,
 * what the processor reads), each under a fresh application id (so with
 * empty state), one after the other in every repetition so that a noisy neighbour slows both alike.
 */
final class ProcessorThroughput {

    private static final Duration DRAIN_TIMEOUT = Duration.ofHours(2);

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

    /** Writes the backlog: {@code drainReports} reports of the realistic mix. */
    void preload() {
        ReportGenerator generator = new ReportGenerator(settings.generatorOptions(1));
        try (KafkaReportSink sink = new KafkaReportSink(cluster, "backlog");
             ProgressBar progress = Progress.of("preload backlog", settings.drainReports(), "reports")) {
            sink.send(settings.drainReports(), i -> generator.next(Instant.now()), progress);
        }
    }

    /** One repetition; the processor is left running (caught up) when {@code keepProcessor}. */
    Apps.Running measure(int run, boolean keepProcessor) throws Exception {
        Apps.Running passThrough = apps.passThrough("bench-passthrough-" + run);
        try (ProgressBar progress = Progress.of("pass-through drain #" + run, 1, "offsets")) {
            GroupDrain.Result result = drain.await(passThrough.applicationId(), passThrough.process(), DRAIN_TIMEOUT,
                    progress);
            samples.add("passthrough", result.perSecond());
        } finally {
            cluster.stop(passThrough.process());
        }
        Apps.Running processor = apps.processor("bench-processor-" + run);
        try (ProgressBar progress = Progress.of("processor drain #" + run, 1, "offsets")) {
            GroupDrain.Result result = drain.await(processor.applicationId(), processor.process(), DRAIN_TIMEOUT,
                    progress);
            samples.add("processor", result.perSecond());
        }
        if (keepProcessor) {
            return processor;
        }
        cluster.stop(processor.process());
        return null;
    }
}
