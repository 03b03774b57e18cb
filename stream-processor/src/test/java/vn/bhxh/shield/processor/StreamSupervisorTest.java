package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.registry.SchemaRegistryException;
import vn.bhxh.shield.serde.WireFormatException;

class StreamSupervisorTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final List<String> leftGroup = new ArrayList<>();
    private final CountDownLatch failed = new CountDownLatch(1);
    private final FailedRecords failedRecords = new FailedRecords(3);
    private final AtomicInteger probes = new AtomicInteger();

    private StreamSupervisor supervisor(int registryDownForProbes) {
        return new StreamSupervisor(new ProcessorConfig.Faults(3, 2, Duration.ofMinutes(10), Duration.ofMillis(50)),
                failedRecords, () -> {
                    if (probes.incrementAndGet() <= registryDownForProbes) {
                        throw new SchemaRegistryException(SchemaRegistryException.NO_RESPONSE, 0, "refused");
                    }
                }, metrics, leftGroup::add, failed::countDown);
    }

    @Test
    void waitsForTheRegistryThenReplacesTheThreadWithoutCountingAFailure() {
        StreamSupervisor supervisor = supervisor(2);
        var outage = new StreamsException("in process", new WireFormatException(
                WireFormatException.Reason.REGISTRY_UNAVAILABLE, "registry answered HTTP 503"));

        assertThat(supervisor.handle(outage)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(probes.get()).as("tries until the registry answered").isEqualTo(3);
        assertThat(count(StreamSupervisor.REGISTRY)).isEqualTo(1);
        assertThat(count(StreamSupervisor.OTHER)).isZero();
        assertThat(supervisor.check().up()).isTrue();
    }

    @Test
    void replacesTheThreadForARetryItAskedFor() {
        StreamSupervisor supervisor = supervisor(0);
        var bug = new IllegalStateException("rules bug");
        assertThat(failedRecords.retry("0_1 bhxh.reports.v1-1@7", bug)).isTrue();

        assertThat(supervisor.handle(new StreamsException("wrapped", bug)))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(count(StreamSupervisor.RECORD_RETRY)).isEqualTo(1);
        assertThat(count(StreamSupervisor.OTHER)).isZero();
    }

    @Test
    void givesUpAfterTheRestartsAllowedAndExitsOnceStreamsIsInError() throws Exception {
        StreamSupervisor supervisor = supervisor(0);
        List<StreamThreadExceptionResponse> responses = new ArrayList<>();
        // The supervisor runs on the dying stream thread and names its group member after it.
        Thread streamThread = new Thread(() -> List.of("one", "two", "three").forEach(failure ->
                responses.add(supervisor.handle(new IllegalStateException(failure)))), "app-StreamThread-3");
        streamThread.start();
        streamThread.join();

        assertThat(responses).containsExactly(StreamThreadExceptionResponse.REPLACE_THREAD,
                StreamThreadExceptionResponse.REPLACE_THREAD, StreamThreadExceptionResponse.SHUTDOWN_CLIENT);

        assertThat(supervisor.check().up()).isFalse();
        assertThat(supervisor.check().detail()).contains("failed 3 times").contains("three");
        assertThat(leftGroup).as("dead threads taken out of the group before their replacement")
                .containsExactly("app-StreamThread-3", "app-StreamThread-3");
        assertThat(count(StreamSupervisor.OTHER)).isEqualTo(3);
        supervisor.onChange(KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.RUNNING);
        assertThat(failed.getCount()).isEqualTo(1);
        supervisor.onChange(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR);
        assertThat(failed.await(5, TimeUnit.SECONDS)).as("the process is told to exit").isTrue();
    }

    @Test
    void aClosingApplicationShutsDownInsteadOfWaiting() {
        StreamSupervisor supervisor = supervisor(Integer.MAX_VALUE);
        supervisor.close();
        assertThat(supervisor.handle(new WireFormatException(WireFormatException.Reason.REGISTRY_UNAVAILABLE,
                "registry down"))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        supervisor.onChange(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR);
        assertThat(failed.getCount()).as("no exit while closing").isEqualTo(1);
    }

    private double count(String cause) {
        return metrics.counter("bhxh_processor_stream_thread_failures", "cause", cause).count();
    }
}
