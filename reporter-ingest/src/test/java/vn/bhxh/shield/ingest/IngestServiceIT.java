package vn.bhxh.shield.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.testkit.ServiceProbe;

class IngestServiceIT {

    @Test
    void healthyWithMetricsWhenKafkaIsThere() {
        try (IngestService ingest = IngestFixture.startHealthy()) {
            assertThat(ServiceProbe.get(ingest.port(), "/health").body()).contains("\"status\":\"UP\"", "idempotency keys");
            String metrics = ServiceProbe.get(ingest.port(), "/metrics").body();
            assertThat(metrics).contains("kafka_consumer_", "jvm_memory_used_bytes", "service=\"reporter-ingest\"");
        }
    }

    @Test
    void unhealthyWhenKafkaIsUnreachable() {
        try (IngestService ingest = IngestService.start(Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "localhost:1",
                "SCHEMA_REGISTRY_URL", "http://localhost:1",
                IngestSettings.DEV_MODE, "true",
                IngestService.PORT, "0")))) {
            var health = ServiceProbe.get(ingest.port(), "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"status\":\"DOWN\"", "Kafka unreachable");
        }
    }

    @Test
    void refusesToStartWithoutSecretsOutsideDevMode() {
        assertThatThrownBy(() -> IngestService.start(Settings.of(Map.of(IngestService.PORT, "0"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("INGEST_PSEUDONYM_KEY")
                .hasMessageContaining("INGEST_SESSION_KEY")
                .hasMessageContaining("INGEST_TOKENS")
                .hasMessageContaining("INGEST_FANPAGE_APP_SECRET");
    }
}
