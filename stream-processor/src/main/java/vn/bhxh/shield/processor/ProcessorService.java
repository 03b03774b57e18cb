package vn.bhxh.shield.processor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.runtime.HealthCheck;
import vn.bhxh.shield.runtime.KafkaConnectivityCheck;
import vn.bhxh.shield.runtime.ServiceHttpServer;
import vn.bhxh.shield.runtime.ServiceLifecycle;
import vn.bhxh.shield.runtime.ServiceMetrics;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.registry.SchemaRegistryClient;
import vn.bhxh.shield.topic.Topics;

/**
 * stream-processor: the Kafka Streams application (exactly-once v2) that turns reports into alerts and the
 * blocklist, with its query API and health on {@code PROCESSOR_HTTP_PORT} (8083).
 */
public final class ProcessorService implements AutoCloseable {

    public static final String NAME = "stream-processor";
    private static final Logger log = LoggerFactory.getLogger(ProcessorService.class);

    private final PrometheusMeterRegistry metrics;
    private final KafkaConnectivityCheck kafka;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final ServiceHttpServer http;

    private ProcessorService(ProcessorConfig config) {
        this.metrics = ServiceMetrics.create(NAME);
        Topics topics = new Topics(new SchemaRegistryClient(config.kafka().schemaRegistryUrl()));
        Counter decoded = metrics.counter("bhxh_processor_reports_decoded");

        this.streams = new KafkaStreams(buildTopology(topics, decoded), new StreamsConfig(config.streamsProperties()));
        streams.setStateListener((now, before) -> log.info("streams {} -> {}", before, now));
        // A failed task (e.g. the registry briefly unreachable) is retried on a fresh thread; exactly-once
        // aborts its open transaction, so nothing is written twice.
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread failed, replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics);
        this.kafka = new KafkaConnectivityCheck(config.kafka().common(NAME + "-health"));
        streams.start();

        HealthCheck running = () -> streams.state() == KafkaStreams.State.RUNNING
                ? HealthCheck.Status.up("streams RUNNING")
                : HealthCheck.Status.down("streams " + streams.state());
        this.http = ServiceHttpServer.start(NAME, config.httpPort(), metrics,
                Map.of("kafka", kafka, "streams", running), routes -> { });
    }

    /** The whole processor topology; each flow is built by its own class and tested on its own. */
    static Topology buildTopology(Topics topics, Counter decoded) {
        StreamsBuilder builder = new StreamsBuilder();
        ReportIntakeFlow.buildTopology(builder, topics).foreach((key, report) -> decoded.increment());
        return builder.build();
    }

    public static ProcessorService start(Settings settings) {
        return new ProcessorService(ProcessorConfig.from(settings));
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
        // Leave the group on purpose: Kafka Streams stays in it by default to ride out quick bounces, which makes
        // a restarted instance wait out the session timeout before it gets its tasks back.
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        streamsMetrics.close();
        kafka.close();
        metrics.close();
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceLifecycle.runUntilShutdown(NAME, start(Settings.fromEnvironment()));
    }
}
