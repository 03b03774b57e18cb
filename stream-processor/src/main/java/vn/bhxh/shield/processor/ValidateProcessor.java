package vn.bhxh.shield.processor;

import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import vn.bhxh.shield.deadletter.DeadLetters;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.topic.Topic;

/**
 * Applies a contract check to decoded records of {@code topic} (key and value: the key must be the canonical
 * indicator the value is about). Like {@link DecodeProcessor} it runs in the topology, where the partition and
 * offset are known, so a VALIDATION dead letter points at the original record; its bytes are the value re-encoded
 * in the same wire format.
 */
final class ValidateProcessor<T, R> implements FixedKeyProcessor<String, T, Decoded<R>> {

    private final Topic<String, T> topic;
    private final BiFunction<String, T, Verdict<R>> check;
    private FixedKeyProcessorContext<String, Decoded<R>> context;

    ValidateProcessor(Topic<String, T> topic, BiFunction<String, T, Verdict<R>> check) {
        this.topic = topic;
        this.check = check;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Decoded<R>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, T> record) {
        Verdict<R> verdict = check.apply(record.key(), record.value());
        if (verdict instanceof Verdict.Valid<R> valid) {
            context.forward(record.withValue(Decoded.ok(valid.value())));
            return;
        }
        RecordMetadata where = context.recordMetadata().orElseThrow();
        var origin = new DeadLetters.Origin(where.topic(), where.partition(), where.offset(), record.timestamp(),
                record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), record.value()));
        context.forward(record.withValue(Decoded.failed(DeadLetters.of(ProcessorService.NAME, origin,
                ErrorKind.VALIDATION, ((Verdict.Invalid<R>) verdict).reason(), null))));
    }
}
