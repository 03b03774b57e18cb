package vn.bhxh.shield.processor;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import vn.bhxh.shield.deadletter.DeadLetters;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * The dead letters Kafka Streams' exception handlers hand back for it to write (KIP-1034): in the record format
 * every service uses for {@code bhxh.deadletter.v1}, not Kafka's raw default, and sent by the task's own producer,
 * so under exactly-once a dead letter is committed with the offset that skips its record, or neither is.
 * <p>
 * The handlers are created by Kafka Streams from a class name; they find this object in their configuration
 * under {@link #CONFIG}.
 */
final class DeadLetterRecords {

    static final String CONFIG = "bhxh.processor.dead.letters";
    static final String FAILED_RECORDS_CONFIG = "bhxh.processor.failed.records";

    private final Serializer<String> keys;
    private final Serializer<DeadLetter> values;
    private final ProcessorMetrics metrics;

    DeadLetterRecords(Topics topics, ProcessorMetrics metrics) {
        Topic<String, DeadLetter> deadLetters = topics.deadLetters();
        this.keys = deadLetters.keySerde().serializer();
        this.values = deadLetters.valueSerde().serializer();
        this.metrics = metrics;
    }

    /** The dead letter for a record that could not be used, counted as one of {@code kind}. */
    ProducerRecord<byte[], byte[]> of(DeadLetters.Origin origin, ErrorKind kind, Exception cause) {
        String error = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        DeadLetter letter = DeadLetters.of(ProcessorService.NAME, origin, kind, error, cause);
        byte[] value = values.serialize(Topics.DEAD_LETTER, letter);
        metrics.deadLetter(kind);
        return new ProducerRecord<>(Topics.DEAD_LETTER, keys.serialize(Topics.DEAD_LETTER, DeadLetters.key(letter)),
                value);
    }

    static DeadLetterRecords from(Map<String, ?> configs) {
        return (DeadLetterRecords) required(configs, CONFIG);
    }

    static FailedRecords failedRecords(Map<String, ?> configs) {
        return (FailedRecords) required(configs, FAILED_RECORDS_CONFIG);
    }

    private static Object required(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null) {
            throw new IllegalStateException(key + " missing: the handler must be configured by ProcessorService");
        }
        return value;
    }
}
