package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import vn.bhxh.shield.runtime.Backoff;
import vn.bhxh.shield.runtime.CorrelationId;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.topic.Topics;

/**
 * Reads every alert topic (read_committed, so only alerts of committed processor transactions) and hands each
 * alert to the sink's outlets, with the alert's correlation id in the MDC of what they log. Offsets are committed
 * only after the outlets took the batch, so a crash (or a run that threw and was restarted) re-reads rather than
 * drops. A record that can never be decoded is dead-lettered (after Kafka acknowledged the dead letter) and
 * skipped; one that cannot be decoded because the registry does not answer is read again after a backoff.
 */
final class AlertConsumer extends ConsumerLoop<String, Alert> {

    private static final Duration POLL = Duration.ofMillis(500);

    private final DeadLetterWriter deadLetters;
    private final Consumer<ConsumerRecord<String, Alert>> outlet;
    private final MeterRegistry metrics;

    AlertConsumer(Supplier<KafkaConsumer<String, Alert>> consumers, DeadLetterWriter deadLetters,
                  Consumer<ConsumerRecord<String, Alert>> outlet, Backoff backoff, MeterRegistry metrics) {
        super("alerts", "alerts", consumers, backoff, STALL_AFTER, metrics);
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
            progressed();
        } catch (RecordDeserializationException e) {
            undecodable(e, deadLetters::undecodable);
        }
    }

    /** The id of the report that made the alert: the record's header, else the alert's own field. */
    static String correlationId(ConsumerRecord<String, Alert> record) {
        return CorrelationId.of(record.headers(), record.value().getCorrelationId()).orElse(null);
    }
}
