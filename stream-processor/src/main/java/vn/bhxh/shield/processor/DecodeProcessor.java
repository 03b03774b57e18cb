package vn.bhxh.shield.processor;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import vn.bhxh.shield.deadletter.DeadLetters;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.serde.WireFormatException;

/**
 * Decodes raw values inside the topology rather than in the source's deserializer, because only here do we have
 * the partition and offset to put in the dead letter, and a failure becomes a value that flows on (to the
 * dead-letter topic, in the same transaction) instead of an exception that stops the stream.
 */
final class DecodeProcessor<T> implements FixedKeyProcessor<String, byte[], Decoded<T>> {

    private final String topic;
    private final Deserializer<T> deserializer;
    private FixedKeyProcessorContext<String, Decoded<T>> context;

    DecodeProcessor(String topic, Deserializer<T> deserializer) {
        this.topic = topic;
        this.deserializer = deserializer;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Decoded<T>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        Decoded<T> decoded;
        try {
            T value = deserializer.deserialize(topic, record.value());
            decoded = value == null
                    ? failed(record, "empty value: a report can not be a tombstone", null)
                    : Decoded.ok(value);
        } catch (WireFormatException e) {
            if (e.reason() == WireFormatException.Reason.REGISTRY_UNAVAILABLE) {
                // Transient: the bytes may be fine. Failing the task retries the record under exactly-once
                // instead of dead-lettering good reports while the registry restarts.
                throw e;
            }
            decoded = failed(record, e.getMessage(), e);
        } catch (SerializationException e) {
            decoded = failed(record, e.getMessage(), e);
        }
        context.forward(record.withValue(decoded));
    }

    private Decoded<T> failed(FixedKeyRecord<String, byte[]> record, String error, Exception cause) {
        RecordMetadata where = context.recordMetadata().orElseThrow();
        var origin = new DeadLetters.Origin(where.topic(), where.partition(), where.offset(), record.timestamp(),
                record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
                record.value());
        return Decoded.failed(DeadLetters.of(ProcessorService.NAME, origin, ErrorKind.DESERIALIZATION, error, cause));
    }
}
