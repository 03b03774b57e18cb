package vn.bhxh.shield.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;

class IngestServiceIT {

    @Test
    void healthyWithMetricsWhenKafkaIsThere() {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        try (IngestService ingest = IngestService.start(Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                IngestService.PORT, "0")))) {
            ServiceProbe.awaitHealthy(ingest.port(), Duration.ofSeconds(30));
            assertThat(ServiceProbe.get(ingest.port(), "/health").body()).contains("\"status\":\"UP\"");
            String metrics = ServiceProbe.get(ingest.port(), "/metrics").body();
            assertThat(metrics).contains("kafka_producer_", "jvm_memory_used_bytes", "service=\"reporter-ingest\"");
        }
    }

    @Test
    void unhealthyWhenKafkaIsUnreachable() {
        try (IngestService ingest = IngestService.start(Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "localhost:1",
                "SCHEMA_REGISTRY_URL", "http://localhost:1",
                IngestService.PORT, "0")))) {
            var health = ServiceProbe.get(ingest.port(), "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"status\":\"DOWN\"", "Kafka unreachable");
        }
    }
}
