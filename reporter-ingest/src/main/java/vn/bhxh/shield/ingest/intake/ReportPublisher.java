package vn.bhxh.shield.ingest.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.runtime.CorrelationId;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.Topic;

/**
 * Writes reports (each with its request's correlation id as a record header, for whoever follows it without
 * decoding the value), and the idempotency records that go with them, in one Kafka transaction: either both are
 * visible to read_committed consumers or neither, so a recorded Idempotency-Key always has its report. Returns
 * only once the transaction is committed (acks=all), which is when a caller may answer 202.
 * <p>
 * Any failure throws the producer away: the next call builds a new one whose {@code initTransactions} fences and
 * aborts whatever the old one left open. That is simpler and safer than telling which errors leave a
 * transactional producer usable, and failures are rare (Kafka down) and slow anyway.
 */
public final class ReportPublisher implements AutoCloseable {

    /** The {@code province} tag of reports that name none (fanpage messages). */
    static final String NO_PROVINCE = "none";
    private static final String WRITTEN = "ingest_reports_written";

    private final Supplier<Producer<String, Object>> producers;
    private final String reportsTopic;
    private final String idempotencyTopic;
    private final Duration lockWait;
    private final Timer latency;
    private final ReentrantLock lock = new ReentrantLock();
    private final MeterRegistry metrics;
    private Producer<String, Object> producer;
    private KafkaClientMetrics producerMetrics;

    public ReportPublisher(Map<String, Object> reliableProducer, String transactionalId, Topic<String, Report> reports,
                           Topic<String, String> idempotency, MeterRegistry metrics) {
        Map<String, Object> props = new HashMap<>(reliableProducer);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        // Fail fast rather than hold an operator on the phone: a request waits at most about max.block.ms for
        // metadata and the commit; explicit KAFKA_CLIENT_* settings still win.
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
        props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        // A few ms of linger lets the report and its idempotency record share a request.
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        this.lockWait = Duration.ofMillis(Long.parseLong(props.get(ProducerConfig.MAX_BLOCK_MS_CONFIG).toString()));
        Serializer<Object> values = byTopic(reports, idempotency);
        this.producers = () -> {
            KafkaProducer<String, Object> created = new KafkaProducer<>(props, reports.keySerde().serializer(), values);
            try {
                created.initTransactions();
                return created;
            } catch (RuntimeException e) {
                created.close(Duration.ZERO);
                throw e;
            }
        };
        this.metrics = metrics;
        this.reportsTopic = reports.name();
        this.idempotencyTopic = idempotency.name();
        this.latency = Timer.builder("ingest_produce_latency")
                .description("From the start of a Kafka transaction to its commit, per request")
                .publishPercentileHistogram()
                .register(metrics);
        // Every channel and province at zero from the start, so a dashboard's rate() sees the first report.
        for (Channel channel : Channel.values()) {
            written(channel.name(), NO_PROVINCE);
            for (Province province : Provinces.all()) {
                written(channel.name(), province.slug());
            }
        }
    }

    /** Reports (key: report id) and idempotency records (scoped key to the stored reply) in one transaction. */
    public void publish(List<Report> reports, Map<String, String> idempotencyRecords) {
        boolean locked;
        try {
            locked = lock.tryLock(lockWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted", e);
        }
        if (!locked) {
            throw new KafkaUnavailableException("Kafka is slow: earlier transactions still pending", null);
        }
        try {
            latency.record(() -> transact(reports, idempotencyRecords));
        } finally {
            lock.unlock();
        }
    }

    private void transact(List<Report> reports, Map<String, String> idempotencyRecords) {
        try {
            if (producer == null) {
                producer = producers.get();
                producerMetrics = new KafkaClientMetrics(producer);
                producerMetrics.bindTo(metrics);
            }
            producer.beginTransaction();
            for (Report report : reports) {
                producer.send(new ProducerRecord<>(reportsTopic, null, report.getReportId(), report,
                        CorrelationId.headers(report.getCorrelationId())));
            }
            idempotencyRecords.forEach((key, reply) -> producer.send(new ProducerRecord<>(idempotencyTopic, key, reply)));
            producer.commitTransaction();
            reports.forEach(report -> written(report.getChannel().name(),
                    report.getProvince() == null ? NO_PROVINCE : report.getProvince()).increment());
        } catch (RuntimeException e) {
            discardProducer();
            throw new KafkaUnavailableException("report not written: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    private Counter written(String channel, String province) {
        return Counter.builder(WRITTEN)
                .description("Reports committed to Kafka, by channel and province (slug, or none)")
                .tags("channel", channel, "province", province)
                .register(metrics);
    }

    private void discardProducer() {
        closeProducer(Duration.ZERO);
    }

    private void closeProducer(Duration timeout) {
        if (producer != null) {
            producerMetrics.close();
            producer.close(timeout);
            producer = null;
        }
    }

    /** One producer for two topics: reports are Avro, idempotency records plain strings. */
    private static Serializer<Object> byTopic(Topic<String, Report> reports, Topic<String, String> idempotency) {
        Serializer<Report> avro = reports.valueSerde().serializer();
        Serializer<String> strings = idempotency.valueSerde().serializer();
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, Object value) {
                return topic.equals(reports.name()) ? avro.serialize(topic, (Report) value)
                        : strings.serialize(topic, (String) value);
            }
        };
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeProducer(Duration.ofSeconds(10));
        } finally {
            lock.unlock();
        }
    }
}
