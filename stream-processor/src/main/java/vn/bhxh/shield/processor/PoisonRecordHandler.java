package vn.bhxh.shield.processor;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.deadletter.DeadLetters;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.topic.Topics;

/**
 * Kafka Streams' {@code processing.exception.handler}: what happens when processing one record throws.
 * <ul>
 *   <li>A record of the allowlist, which the global thread keeps in every instance's global store
 *       ({@code processing.exception.handler.global.enabled}, KIP-1270): fail, never skip nor dead-letter. A skipped
 *       entry would leave an official channel unprotected (and Kafka Streams 4.3 cannot send dead letters from the
 *       global thread). The global thread is never replaced: the client stops, the process exits and is restarted,
 *       and reads the allowlist again.</li>
 *   <li>The schema registry is unavailable: fail, never dead-letter; the supervisor waits for the registry and the
 *       task starts again from its last commit.</li>
 *   <li>Otherwise the record is tried {@code PROCESSOR_RECORD_ATTEMPTS} times: each failure but the last fails the
 *       task, which aborts its transaction and restarts from its last commit (a retry in place could apply a
 *       half-done record twice); the last one writes the record to {@code bhxh.deadletter.v1} (PROCESSING, with the
 *       exception) in the same transaction and the partition goes on.</li>
 * </ul>
 */
public final class PoisonRecordHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(PoisonRecordHandler.class);

    private DeadLetterRecords deadLetters;
    private FailedRecords failedRecords;

    @Override
    public void configure(Map<String, ?> configs) {
        this.deadLetters = DeadLetterRecords.from(configs);
        this.failedRecords = DeadLetterRecords.failedRecords(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        String where = context.taskId() + " " + context.topic() + "-" + context.partition() + "@" + context.offset()
                + " in " + context.processorNodeId();
        if (Topics.ALLOWLIST.equals(context.topic())) {
            log.error("processing allowlist record {} failed: an official channel is never skipped, the processor "
                    + "stops and reads the allowlist again once restarted", where, exception);
            return Response.fail();
        }
        if (RegistryOutage.causedBy(exception)) {
            log.warn("cannot process {}: the schema registry is unavailable; it will be tried again: {}", where,
                    exception.toString());
            return Response.fail();
        }
        if (failedRecords.retry(where, exception)) {
            log.warn("processing {} failed; restarting the task from its last commit to try again "
                    + "(at most {} attempts)", where, failedRecords.attempts(), exception);
            return Response.fail();
        }
        log.error("processing {} failed {} times: dead-lettered, the partition goes on", where,
                failedRecords.attempts(), exception);
        var origin = new DeadLetters.Origin(context.topic() == null ? "punctuation " + context.processorNodeId()
                : context.topic(), context.partition(), context.offset(), context.timestamp(), context.sourceRawKey(),
                context.sourceRawValue());
        return Response.resume(List.of(deadLetters.of(origin, ErrorKind.PROCESSING, exception)));
    }
}
