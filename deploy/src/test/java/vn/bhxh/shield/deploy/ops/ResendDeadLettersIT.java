package vn.bhxh.shield.deploy.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.CorrelationId;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.IndicatorKind;
import vn.bhxh.shield.sink.AlertSinkService;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The runbook's re-send of dead-lettered webhook deliveries against a real broker and the sink's production code:
 * an endpoint that answered 404 (dead-lettered after one call) is fixed, the tool hands the alert back, and the
 * sink delivers it with the same {@code Idempotency-Key}, {@code webhook-id} and correlation id, to that endpoint
 * only.
 */
class ResendDeadLettersIT {

    private static final KafkaTestCluster CLUSTER = KafkaTestCluster.shared();
    private static final KafkaSettings KAFKA = KafkaSettings.from(Settings.of(Map.of(
            KafkaSettings.BOOTSTRAP_SERVERS, CLUSTER.bootstrapServers(),
            KafkaSettings.SCHEMA_REGISTRY_URL, CLUSTER.registryUrl())));
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String PROVINCE = "quang-tri";

    /** An office's endpoint: answers {@code status}, records each call's delivery headers. */
    private static final class Office implements AutoCloseable {
        record Call(String idempotencyKey, String webhookId, String correlationId, int status) {
        }

        final AtomicInteger status;
        final List<Call> calls = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        Office(int status) throws Exception {
            this.status = new AtomicInteger(status);
            this.server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.createContext("/alerts", exchange -> {
                exchange.getRequestBody().readAllBytes();
                var headers = exchange.getRequestHeaders();
                int answer = this.status.get();
                calls.add(new Call(headers.getFirst("Idempotency-Key"), headers.getFirst("webhook-id"),
                        headers.getFirst(CorrelationId.HTTP_HEADER), answer));
                exchange.sendResponseHeaders(answer, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://localhost:" + server.getAddress().getPort() + "/alerts";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @BeforeAll
    static void topics() throws Exception {
        TopicProvisioner.ensure(CLUSTER.admin(), Topics.specs());
    }

    @Test
    void aDeadLetteredAlertIsDeliveredAgainToTheEndpointThatGaveUpOnly() throws Exception {
        String run = "resend" + System.nanoTime();
        String alertId = run + "/1";
        try (Office broken = new Office(404);
             Office steady = new Office(200);
             AlertSinkService sink = AlertSinkService.start(Settings.of(Map.of(
                     KafkaSettings.BOOTSTRAP_SERVERS, CLUSTER.bootstrapServers(),
                     KafkaSettings.SCHEMA_REGISTRY_URL, CLUSTER.registryUrl(),
                     "SINK_GROUP_ID", "sink-" + run,
                     "SINK_HTTP_PORT", "0",
                     "SINK_WEBHOOKS", PROVINCE + "=" + broken.url() + "," + steady.url(),
                     "SINK_WEBHOOK_SECRET_QUANG_TRI", "quang-tri-resend-it-secret")))) {
            ServiceProbe.awaitHealthy(sink.port(), WITHIN);
            publish(alertId, "corr-" + run);
            Eventually.await("the 404 is dead-lettered and the other endpoint has the alert", WITHIN,
                    () -> ServiceProbe.metric(sink.port(), "bhxh_sink_webhook_deliveries_total{endpoint=\""
                            + broken.url() + "\",outcome=\"dead_lettered\"") == 1 && steady.calls.size() == 1);
            assertThat(broken.calls).hasSize(1);

            ResendDeadLetters.Selection selection = new ResendDeadLetters.Selection(
                    Instant.now().minus(Duration.ofMinutes(10)), Optional.empty(), Optional.of(PROVINCE),
                    Optional.of(broken.url()));
            List<String> dryRun = new CopyOnWriteArrayList<>();
            assertThat(ResendDeadLetters.resend(KAFKA, selection, true, dryRun::add)).isEqualTo(1);
            assertThat(dryRun).singleElement().asString().startsWith("would re-send " + Topics.provinceAlertsName(
                    PROVINCE));
            Thread.sleep(1_000);
            assertThat(broken.calls).as("a dry run writes nothing").hasSize(1);

            broken.status.set(200); // the office fixed its server
            List<String> out = new CopyOnWriteArrayList<>();
            assertThat(ResendDeadLetters.resend(KAFKA, selection, false, out::add)).isEqualTo(1);
            assertThat(out).singleElement().asString().contains(Topics.WEBHOOK_REDELIVERY);

            Eventually.await("the fixed endpoint gets the alert again", WITHIN, () -> broken.calls.size() == 2);
            Office.Call first = broken.calls.get(0);
            Office.Call again = broken.calls.get(1);
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.idempotencyKey()).isEqualTo(alertId).isEqualTo(first.idempotencyKey());
            assertThat(again.webhookId()).startsWith("msg_").isEqualTo(first.webhookId());
            assertThat(again.correlationId()).isEqualTo("corr-" + run);
            Thread.sleep(2_000);
            assertThat(steady.calls).as("the re-send is for the endpoint that gave up only").hasSize(1);
            assertThat(ResendDeadLetters.resend(KAFKA, new ResendDeadLetters.Selection(Instant.now().minusSeconds(600),
                    Optional.empty(), Optional.of("ha-noi"), Optional.empty()), true, line -> { }))
                    .as("another province's filter selects none of it").isZero();
        }
    }

    private static void publish(String alertId, String correlationId) throws Exception {
        Instant at = Instant.now();
        Alert alert = Alert.newBuilder()
                .setAlertId(alertId)
                .setIndicator("tel:+84904038115")
                .setKind(IndicatorKind.PHONE)
                .setLevel(AlertLevel.WARNING)
                .setReason("3 người báo cáo trong 24 giờ")
                .setProvinces(List.of(PROVINCE))
                .setDistinctReporters(3)
                .setWeightedReporters(3.0)
                .setReportCount(3)
                .setWindowStart(at.minus(Duration.ofHours(24)))
                .setWindowEnd(at)
                .setFirstSeen(at.minus(Duration.ofHours(1)))
                .setLastSeen(at)
                .setRaisedAt(at)
                .build();
        try (var producer = new KafkaProducer<>(CLUSTER.producerProps(), new StringSerializer(),
                new Topics(CLUSTER.registryClient()).provinceAlerts(PROVINCE).valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.provinceAlertsName(PROVINCE), null, alert.getIndicator(),
                    alert, CorrelationId.headers(correlationId))).get();
        }
    }
}
