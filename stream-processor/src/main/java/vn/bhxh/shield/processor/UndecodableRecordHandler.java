package vn.bhxh.shield.processor;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.deadletter.DeadLetters;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.topic.Topics;

/**
 * Kafka Streams' {@code deserialization.exception.handler}, for the sources it decodes itself: the record keys and
 * the allowlist's global table (indicator records and decisions are read as bytes and decoded by
 * {@link DecodeProcessor}). The registry unavailable: fail, so the records are read again once it answers. Bytes
 * that can never be decoded: dead-lettered (DESERIALIZATION). The global table cannot write a dead letter (Kafka
 * Streams does not support it there), so an undecodable allowlist record is logged and counted instead.
 */
public final class UndecodableRecordHandler implements DeserializationExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(UndecodableRecordHandler.class);

    private DeadLetterRecords deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        this.deadLetters = DeadLetterRecords.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        if (RegistryOutage.causedBy(exception)) {
            log.warn("cannot decode {}: the schema registry is unavailable; it will be read again: {}", where,
                    exception.toString());
            return Response.fail();
        }
        if (Topics.ALLOWLIST.equals(record.topic())) {
            log.error("cannot decode {} (skipped: the allowlist table cannot dead-letter): {}", where,
                    exception.toString());
            return Response.resume();
        }
        log.error("cannot decode {}: dead-lettered: {}", where, exception.toString());
        var origin = new DeadLetters.Origin(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key(), record.value());
        return Response.resume(List.of(deadLetters.of(origin, ErrorKind.DESERIALIZATION, exception)));
    }
}
