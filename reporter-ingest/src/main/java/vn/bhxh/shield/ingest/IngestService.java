package vn.bhxh.shield.ingest;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import vn.bhxh.shield.runtime.KafkaConnectivityCheck;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.ServiceHttpServer;
import vn.bhxh.shield.runtime.ServiceLifecycle;
import vn.bhxh.shield.runtime.ServiceMetrics;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.registry.SchemaRegistryClient;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * reporter-ingest: accepts reports from hotline operators, fanpage webhooks and police referrals and publishes
 * them to {@code bhxh.reports.v1} with an idempotent, acks=all producer.
 */
public final class IngestService implements AutoCloseable {

    public static final String NAME = "reporter-ingest";
    public static final String PORT = "INGEST_HTTP_PORT";

    private final PrometheusMeterRegistry metrics;
    private final KafkaConnectivityCheck kafka;
    private final Producer<String, Report> producer;
    private final KafkaClientMetrics producerMetrics;
    private final ServiceHttpServer http;

    private IngestService(Settings settings) {
        KafkaSettings kafkaSettings = KafkaSettings.from(settings);
        Topic<String, Report> reports = new Topics(new SchemaRegistryClient(kafkaSettings.schemaRegistryUrl())).reports();
        this.metrics = ServiceMetrics.create(NAME);
        this.kafka = new KafkaConnectivityCheck(kafkaSettings.common(NAME + "-health"));
        this.producer = new KafkaProducer<>(kafkaSettings.reliableProducer(NAME),
                reports.keySerde().serializer(), reports.valueSerde().serializer());
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(metrics);
        this.http = ServiceHttpServer.start(NAME, settings.integer(PORT, 8080), metrics,
                Map.of("kafka", kafka), routes -> { });
    }

    public static IngestService start(Settings settings) {
        return new IngestService(settings);
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
        producer.close(Duration.ofSeconds(10));
        producerMetrics.close();
        kafka.close();
        metrics.close();
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceLifecycle.runUntilShutdown(NAME, start(Settings.fromEnvironment()));
    }
}
