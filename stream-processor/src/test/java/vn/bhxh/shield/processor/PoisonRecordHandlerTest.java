package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Result;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.registry.InMemorySchemaRegistry;
import vn.bhxh.shield.topic.Topics;

/** What the processing exception handler answers, for a stream task's record and for the global allowlist's. */
class PoisonRecordHandlerTest {

    /** One attempt: a failing record is dead-lettered at once, so only the allowlist's rule can make it fail. */
    private final PoisonRecordHandler handler = configured(1);

    @Test
    void aFailedReportIsDeadLetteredAndThePartitionGoesOn() {
        Response response = handler.handleError(context(Topics.INDICATOR_EVENTS, new TaskId(0, 3)),
                new Record<>("tel:+84904038115", "x", 0L), new IllegalStateException("a bug"));

        assertThat(response.result()).isEqualTo(Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement()
                .satisfies(letter -> assertThat(letter.topic()).isEqualTo(Topics.DEAD_LETTER));
    }

    /**
     * The global thread keeps the allowlist (processing.exception.handler.global.enabled): a record of it is never
     * skipped, however often it failed, and no dead letter is asked for (the global thread cannot send one).
     */
    @Test
    void aFailedAllowlistRecordFailsAndIsNeverSkipped() {
        for (int attempt = 0; attempt < 3; attempt++) {
            Response response = handler.handleError(context(Topics.ALLOWLIST, new TaskId(-1, -1)),
                    new Record<>("tel:+84190090680", "x", 0L), new IllegalStateException("store broken"));

            assertThat(response.result()).isEqualTo(Result.FAIL);
            assertThat(response.deadLetterQueueRecords()).isEmpty();
        }
    }

    private static PoisonRecordHandler configured(int attempts) {
        PoisonRecordHandler handler = new PoisonRecordHandler();
        handler.configure(Map.of(
                DeadLetterRecords.CONFIG, new DeadLetterRecords(new Topics(new InMemorySchemaRegistry()),
                        new ProcessorMetrics(new SimpleMeterRegistry())),
                DeadLetterRecords.FAILED_RECORDS_CONFIG, new FailedRecords(attempts)));
        return handler;
    }

    /** Where a record failed, as Kafka Streams tells the handler. */
    private static ErrorHandlerContext context(String topic, TaskId task) {
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public int partition() {
                return 0;
            }

            @Override
            public long offset() {
                return 42;
            }

            @Override
            public Headers headers() {
                return new RecordHeaders();
            }

            @Override
            public String processorNodeId() {
                return "apply-rules";
            }

            @Override
            public TaskId taskId() {
                return task;
            }

            @Override
            public long timestamp() {
                return 0;
            }

            @Override
            public byte[] sourceRawKey() {
                return "key".getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] sourceRawValue() {
                return "value".getBytes(StandardCharsets.UTF_8);
            }
        };
    }
}
