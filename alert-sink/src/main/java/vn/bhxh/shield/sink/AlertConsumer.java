package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import vn.bhxh.shield.runtime.CorrelationId;
import vn.bhxh.shield.runtime.HealthCheck;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.topic.Topics;

/**
 * Reads every alert topic (read_committed, so only alerts of committed processor transactions) and hands each
 * alert to the sink's outlets, with the alert's correlation id in the MDC of what they log. Offsets are committed
 * only after the outlets took the batch, so a crash re-reads rather than drops. A record that cannot be decoded is
 * dead-lettered (after Kafka acknowledged the dead letter) and skipped.
 */
final class AlertConsumer extends ConsumerLoop<String, Alert> implements HealthCheck {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration STALLED_AFTER = Duration.ofSeconds(30);

    private final DeadLetterWriter deadLetters;
    private final Consumer<ConsumerRecord<String, Alert>> outlet;
    private final MeterRegistry metrics;
    private final AtomicReference<Instant> lastPoll = new AtomicReference<>(Instant.now());

    AlertConsumer(KafkaConsumer<String, Alert> consumer, DeadLetterWriter deadLetters,
                  Consumer<ConsumerRecord<String, Alert>> outlet, MeterRegistry metrics) {
        super(consumer, "alerts", metrics);
        this.deadLetters = deadLetters;
        this.outlet = outlet;
        this.metrics = metrics;
    }

    @Override
    protected void begin() {
        consumer.subscribe(Topics.ALL_ALERTS);
    }

    @Override
    @SuppressWarnings("try") // the MDC scope is used by being open
    protected void pollOnce() {
        try {
            var records = consumer.poll(POLL);
            lastPoll.set(Instant.now());
            for (ConsumerRecord<String, Alert> record : records) {
                if (record.value() == null) {
                    continue; // alert topics are not compacted: a null value carries nothing to route
                }
                try (var logs = CorrelationId.inLogs(correlationId(record))) {
                    outlet.accept(record);
                }
                metrics.counter("bhxh_sink_alerts_received", "level", record.value().getLevel().name(),
                        "topic", record.topic()).increment();
            }
            if (!records.isEmpty()) {
                consumer.commitSync();
            }
        } catch (RecordDeserializationException e) {
            deadLetters.undecodable(e);
            consumer.seek(e.topicPartition(), e.offset() + 1);
        }
    }

    /** The id of the report that made the alert: the record's header, else the alert's own field. */
    static String correlationId(ConsumerRecord<String, Alert> record) {
        return CorrelationId.of(record.headers(), record.value().getCorrelationId()).orElse(null);
    }

    @Override
    public Status check() {
        Duration since = Duration.between(lastPoll.get(), Instant.now());
        return since.compareTo(STALLED_AFTER) < 0
                ? Status.up("polled " + since.toMillis() + " ms ago")
                : Status.down("no poll for " + since.toSeconds() + " s");
    }
}
