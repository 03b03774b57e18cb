package vn.bhxh.shield.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.bhxh.shield.ingest.IngestFixture.OPERATOR;
import static vn.bhxh.shield.ingest.IngestFixture.json;
import static vn.bhxh.shield.ingest.IngestFixture.post;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaBrokerProcess;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The broker, in its own process, stops under a running ingest and comes back: meanwhile the report is refused
 * with 503 and never acknowledged; afterwards the client's retry (same Idempotency-Key) is accepted, once.
 */
class KafkaOutageIT {

    @Test
    void refusesWith503WhileKafkaIsDownThenTheRetryIsWrittenOnce() throws Exception {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.create().start()) {
            broker.startRegistry();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                TopicProvisioner.ensure(admin, Topics.specs());
            }
            // Short client timeouts so that each refused request takes about 2 s, not the production 5.
            Settings settings = IngestFixture.settings(broker, "outage-" + UUID.randomUUID()).with(Map.of(
                    "KAFKA_CLIENT_MAX_BLOCK_MS", "2000",
                    "KAFKA_CLIENT_REQUEST_TIMEOUT_MS", "1000",
                    "KAFKA_CLIENT_DELIVERY_TIMEOUT_MS", "2000"));
            try (IngestService ingest = IngestService.start(settings)) {
                ServiceProbe.awaitHealthy(ingest.port(), Duration.ofSeconds(60));
                assertThat(post(ingest.port(), "/api/v1/reports", ReportsApiIT.report("before-outage", "0912345678",
                        "0904038115"), json(OPERATOR)).statusCode()).isEqualTo(202);

                broker.stop();

                String reference = "outage-" + UUID.randomUUID();
                String body = ReportsApiIT.report(reference, "0912345678", "0904038115");
                Map<String, String> headers = json(OPERATOR);
                headers.put("Idempotency-Key", UUID.randomUUID().toString());
                var refused = post(ingest.port(), "/api/v1/reports", body, headers);
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
                assertThat(refused.body()).contains("KAFKA_UNAVAILABLE");
                assertThat(ServiceProbe.metric(ingest.port(),
                        "ingest_requests_total{endpoint=\"reports\",outcome=\"failed\"")).isEqualTo(1);
                Eventually.await("/health is DOWN", Duration.ofSeconds(30),
                        () -> ServiceProbe.get(ingest.port(), "/health").statusCode() == 503);

                broker.start();

                ServiceProbe.awaitHealthy(ingest.port(), Duration.ofSeconds(60));
                // As a client honouring Retry-After would: the producer may need a moment to find the
                // transaction coordinator again, and each attempt meanwhile is a 503, never a 202 not written.
                AtomicReference<HttpResponse<String>> retry = new AtomicReference<>();
                Eventually.await("the retry is accepted", Duration.ofSeconds(60), () -> {
                    retry.set(post(ingest.port(), "/api/v1/reports", body, headers));
                    return retry.get().statusCode() != 503;
                });
                assertThat(retry.get().statusCode()).isEqualTo(202);
                assertThat(IngestFixture.committedReports(broker, report -> reference.equals(report.getSourceReference())))
                        .hasSize(1);
            }
        }
    }
}
