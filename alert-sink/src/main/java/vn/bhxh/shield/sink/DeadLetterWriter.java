package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.deadletter.DeadLetters;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.ErrorKind;

/**
 * Writes the sink's dead letters to {@code bhxh.deadletter.v1} and returns only once Kafka acknowledged them: only
 * then may a reader skip the record or commit past it. Counted in {@code bhxh_sink_dead_letters{kind}}.
 */
final class DeadLetterWriter {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterWriter.class);

    private final Producer<String, DeadLetter> producer;
    private final String topic;
    private final MeterRegistry metrics;

    DeadLetterWriter(Producer<String, DeadLetter> producer, String topic, MeterRegistry metrics) {
        this.producer = producer;
        this.topic = topic;
        this.metrics = metrics;
        // At zero from the start: an alert rule's increase() cannot see a series whose first sample is 1.
        for (ErrorKind kind : List.of(ErrorKind.DESERIALIZATION, ErrorKind.DELIVERY)) {
            metrics.counter("bhxh_sink_dead_letters", "kind", kind.name());
        }
    }

    /** A record a consumer's deserializer refused, with its raw bytes. */
    void undecodable(RecordDeserializationException e) {
        var origin = new DeadLetters.Origin(e.topicPartition().topic(), e.topicPartition().partition(), e.offset(),
                e.timestamp(), bytes(e.keyBuffer()), bytes(e.valueBuffer()));
        write(origin, ErrorKind.DESERIALIZATION,
                String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
    }

    void write(DeadLetters.Origin origin, ErrorKind kind, String error, Throwable cause) {
        write(origin, kind, error, cause, List.of());
    }

    /** {@code headers} say more than the schema does, e.g. which webhook endpoint gave up (for a re-send). */
    void write(DeadLetters.Origin origin, ErrorKind kind, String error, Throwable cause, List<Header> headers) {
        DeadLetter letter = DeadLetters.of(AlertSinkService.NAME, origin, kind, error, cause);
        String where = origin.topic() + "-" + origin.partition() + "@" + origin.offset();
        try {
            producer.send(new ProducerRecord<>(topic, null, DeadLetters.key(letter), letter, headers)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + where, e);
        } catch (ExecutionException e) {
            // The caller has not skipped or committed the record: after a restart it is tried again, never lost.
            throw new IllegalStateException("could not dead-letter " + where, e);
        }
        metrics.counter("bhxh_sink_dead_letters", "kind", kind.name()).increment();
        log.warn("dead-lettered {} ({}): {}", where, kind, error);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
