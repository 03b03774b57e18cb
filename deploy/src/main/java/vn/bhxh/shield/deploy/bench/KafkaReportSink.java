package vn.bhxh.shield.deploy.bench;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import me.tongfei.progressbar.ProgressBar;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * Writes generated reports straight to {@code bhxh.reports.v1} through the product's serde, keyed by report id
 * as ingest keys them: the backlog the processor drains. Not transactional, so the topic holds no commit markers
 * and its end offset is exactly the number of reports.
 */
final class KafkaReportSink implements AutoCloseable {

    /** Throughput settings of a bulk loader (ingest itself sends one small transaction per request). */
    static final Map<String, Object> LOADER_SETTINGS = Map.of(
            ProducerConfig.LINGER_MS_CONFIG, 20,
            ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);

    private final KafkaProducer<String, Report> producer;
    private final String runId;
    private long sent;

    KafkaReportSink(BenchCluster cluster, String runId) {
        Topic<String, Report> reports = cluster.topics().reports();
        Map<String, Object> props = new KafkaSettings(cluster.bootstrapServers(), cluster.registryUrl(), Map.of())
                .reliableProducer("bench-loader");
        props.putAll(LOADER_SETTINGS);
        this.producer = new KafkaProducer<>(props, reports.keySerde().serializer(), reports.valueSerde().serializer());
        this.runId = runId;
    }

    /** Sends {@code count} reports made by {@code reportFor(i)}, waits until Kafka has them all. */
    void send(long count, LongFunction<GeneratedReport> reportFor, ProgressBar progress) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (long i = 0; i < count; i++) {
            String reportId = runId + "-" + sent++;
            Instant now = Instant.now();
            Report report = reportFor.apply(i).toAvro(reportId, now);
            producer.send(new ProducerRecord<>(Topics.REPORTS, reportId, report), (metadata, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
            progress.step();
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("preloading reports failed", failure.get());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
