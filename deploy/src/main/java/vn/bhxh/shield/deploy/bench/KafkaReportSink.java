package vn.bhxh.shield.deploy.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import me.tongfei.progressbar.ProgressBar;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.ReportRecords;

/**
 * Writes generated reports as ingest writes them ({@link ReportRecords}: the report on {@code bhxh.reports.v1}
 * and one record per canonical indicator on {@code bhxh.indicator-events.v1}, which the processor drains).
 * Not transactional, so the topics hold no commit markers and their end offsets are exactly the number of records.
 */
final class KafkaReportSink implements AutoCloseable {

    /** Throughput settings of a bulk loader (ingest itself sends one small transaction per request). */
    static final Map<String, Object> LOADER_SETTINGS = Map.of(
            ProducerConfig.LINGER_MS_CONFIG, 20,
            ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);

    private final KafkaProducer<String, byte[]> producer;
    private final ReportRecords records;
    private final String runId;
    /** As ingest's: the generator's hot numbers recur, and normalising each anew would slow the preload. */
    private static final long NORMALISATION_MEMO = 20_000;
    private long sent;
    private long indicatorRecordsSent;

    KafkaReportSink(BenchCluster cluster, String runId) {
        Map<String, Object> props = new KafkaSettings(cluster.bootstrapServers(), cluster.registryUrl(), Map.of())
                .reliableProducer("bench-loader");
        props.putAll(LOADER_SETTINGS);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.records = new ReportRecords(cluster.topics(), Normaliser.memoising(NORMALISATION_MEMO));
        this.runId = runId;
    }

    /** Sends {@code count} reports made by {@code reportFor(i)}, waits until Kafka has them all. */
    void send(long count, LongFunction<GeneratedReport> reportFor, ProgressBar progress) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (long i = 0; i < count; i++) {
            String reportId = runId + "-" + sent++;
            Instant now = Instant.now();
            Report report = reportFor.apply(i).toAvro(reportId, now);
            List<ProducerRecord<String, byte[]>> all = records.of(report);
            indicatorRecordsSent += all.size() - 1; // the report's own record comes first
            for (ProducerRecord<String, byte[]> record : all) {
                producer.send(record, (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            progress.step();
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("preloading reports failed", failure.get());
        }
    }

    /** Indicator records sent so far (what the processor reads). */
    long indicatorRecordsSent() {
        return indicatorRecordsSent;
    }

    @Override
    public void close() {
        producer.close();
    }
}
