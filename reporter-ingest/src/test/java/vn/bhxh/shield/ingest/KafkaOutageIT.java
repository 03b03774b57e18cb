package vn.bhxh.shield.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.bhxh.shield.ingest.IngestFixture.OPERATOR;
import static vn.bhxh.shield.ingest.IngestFixture.json;
import static vn.bhxh.shield.ingest.IngestFixture.post;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/** A private cluster that this test stops: the report is refused with 503, never acknowledged. */
class KafkaOutageIT {

    @Test
    void answers503WithRetryAfterWhenKafkaStopsAndNeverA202() throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.start();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                IngestService.PORT, "0",
                IngestSettings.DEV_MODE, "true",
                IngestSettings.TRANSACTIONAL_ID, "outage-" + UUID.randomUUID(),
                "KAFKA_CLIENT_MAX_BLOCK_MS", "2000",
                "KAFKA_CLIENT_REQUEST_TIMEOUT_MS", "1000",
                "KAFKA_CLIENT_DELIVERY_TIMEOUT_MS", "2000"));
        try (IngestService ingest = IngestService.start(Settings.of(env))) {
            ServiceProbe.awaitHealthy(ingest.port(), Duration.ofSeconds(30));
            String body = ReportsApiIT.report("outage", "0912345678", "0904038115");
            assertThat(post(ingest.port(), "/api/v1/reports", body, json(OPERATOR)).statusCode()).isEqualTo(202);

            cluster.close();

            var refused = post(ingest.port(), "/api/v1/reports", body, json(OPERATOR));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(refused.body()).contains("KAFKA_UNAVAILABLE");
            assertThat(ServiceProbe.metric(ingest.port(), "ingest_requests_total{endpoint=\"reports\",outcome=\"failed\""))
                    .isEqualTo(1);
        }
    }
}
