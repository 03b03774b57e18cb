package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.deadletter.DeadLetters;
import vn.bhxh.shield.runtime.HealthCheck;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * Reads every alert topic (read_committed, so only alerts of committed processor transactions) and hands each
 * alert to the sink's outlets. Offsets are committed only after the outlets took the batch, so a crash re-reads
 * rather than drops. A record that cannot be decoded is dead-lettered (after Kafka acknowledged the dead letter)
 * and skipped.
 */
final class AlertConsumer implements Runnable, HealthCheck {

    private static final Logger log = LoggerFactory.getLogger(AlertConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration STALLED_AFTER = Duration.ofSeconds(30);

    private final KafkaConsumer<String, Alert> consumer;
    private final Producer<String, DeadLetter> deadLetterProducer;
    private final Topic<String, DeadLetter> deadLetters;
    private final Consumer<ConsumerRecord<String, Alert>> outlet;
    private final MeterRegistry metrics;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<Instant> lastPoll = new AtomicReference<>(Instant.now());

    AlertConsumer(KafkaConsumer<String, Alert> consumer, Producer<String, DeadLetter> deadLetterProducer,
                  Topic<String, DeadLetter> deadLetters, Consumer<ConsumerRecord<String, Alert>> outlet,
                  MeterRegistry metrics) {
        this.consumer = consumer;
        this.deadLetterProducer = deadLetterProducer;
        this.deadLetters = deadLetters;
        this.outlet = outlet;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        consumer.subscribe(Topics.ALL_ALERTS);
        try {
            while (running.get()) {
                pollOnce();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
        }
    }

    private void pollOnce() {
        try {
            var records = consumer.poll(POLL);
            lastPoll.set(Instant.now());
            for (ConsumerRecord<String, Alert> record : records) {
                if (record.value() == null) {
                    continue; // alert topics are not compacted: a null value carries nothing to route
                }
                outlet.accept(record);
                metrics.counter("bhxh_sink_alerts_received", "level", record.value().getLevel().name(),
                        "topic", record.topic()).increment();
            }
            if (!records.isEmpty()) {
                consumer.commitSync();
            }
        } catch (RecordDeserializationException e) {
            deadLetter(e);
            consumer.seek(e.topicPartition(), e.offset() + 1);
        }
    }

    private void deadLetter(RecordDeserializationException e) {
        var origin = new DeadLetters.Origin(e.topicPartition().topic(), e.topicPartition().partition(), e.offset(),
                e.timestamp(), bytes(e.keyBuffer()), bytes(e.valueBuffer()));
        DeadLetter letter = DeadLetters.of(AlertSinkService.NAME, origin, ErrorKind.DESERIALIZATION,
                String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        try {
            // Wait for the acknowledgement: only then is it safe to skip the record.
            deadLetterProducer.send(new ProducerRecord<>(deadLetters.name(), DeadLetters.key(letter), letter)).get();
            metrics.counter("bhxh_sink_dead_letters", "kind", ErrorKind.DESERIALIZATION.name()).increment();
            log.warn("dead-lettered {} offset {}: {}", e.topicPartition(), e.offset(), letter.getError());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", ie);
        } catch (ExecutionException ee) {
            throw new IllegalStateException("could not dead-letter " + e.topicPartition() + "@" + e.offset(), ee);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    @Override
    public Status check() {
        Duration since = Duration.between(lastPoll.get(), Instant.now());
        return since.compareTo(STALLED_AFTER) < 0
                ? Status.up("polled " + since.toMillis() + " ms ago")
                : Status.down("no poll for " + since.toSeconds() + " s");
    }

    void stop() {
        running.set(false);
        consumer.wakeup();
    }
}
