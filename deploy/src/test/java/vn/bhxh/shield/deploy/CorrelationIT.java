package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.ingest.IngestService;
import vn.bhxh.shield.ingest.IngestSettings;
import vn.bhxh.shield.processor.ProcessorService;
import vn.bhxh.shield.runtime.CorrelationId;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.sink.AlertSinkService;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.JsonLogCapture;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * One report followed from its HTTP request to the webhook that delivers the alert it caused, through the three
 * real services on a real broker: the caller's X-Request-Id is answered, is on the report's record, on the alert's
 * record, in the webhook call, and in the production JSON log lines of each service; no reporter's number is in
 * any of those lines.
 */
class CorrelationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PROVINCE = "ca-mau";
    private static final Duration WITHIN = Duration.ofSeconds(60);

    @Test
    void oneIdFromTheRequestToTheWebhookAndInEveryServicesLogLines(@TempDir Path stateDir) throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());
        // A number of this run only, so whatever else the shared cluster holds never counts for it.
        String scammer = String.format("090%07d", ThreadLocalRandom.current().nextInt(10_000_000));
        String indicator = "tel:+84" + scammer.substring(1);
        String given = "it-" + UUID.randomUUID();
        List<String> reporters = List.of("0912000001", "0912000002", "0912000003");
        Map<String, String> kafka = Map.of("KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl());
        String run = UUID.randomUUID().toString();

        try (JsonLogCapture logs = JsonLogCapture.attach("vn.bhxh.shield");
             Receiver receiver = new Receiver();
             ProcessorService processor = ProcessorService.start(settings(kafka, Map.of(
                     "PROCESSOR_APPLICATION_ID", "correlation-it-processor-" + run,
                     "PROCESSOR_STATE_DIR", stateDir.toString(),
                     "PROCESSOR_HTTP_PORT", "0")));
             AlertSinkService sink = AlertSinkService.start(settings(kafka, Map.of(
                     "SINK_GROUP_ID", "correlation-it-sink-" + run,
                     "SINK_HTTP_PORT", "0",
                     "SINK_WEBHOOKS", PROVINCE + "=" + receiver.url(),
                     "SINK_WEBHOOK_SECRET_CA_MAU", "correlation-it-secret")));
             IngestService ingest = IngestService.start(settings(kafka, Map.of(
                     IngestService.PORT, "0",
                     IngestSettings.DEV_MODE, "true",
                     IngestSettings.TRANSACTIONAL_ID, "correlation-it-ingest-" + run,
                     IngestSettings.PROCESSOR_URL, "http://localhost:1")))) {
            for (int port : List.of(processor.port(), sink.port(), ingest.port())) {
                ServiceProbe.awaitHealthy(port, WITHIN);
            }

            // Two reporters first, until the processor has counted both: the third report then crosses WARNING.
            post(ingest, reporters.get(0), scammer, "it-first-" + run);
            post(ingest, reporters.get(1), scammer, "it-second-" + run);
            Eventually.await("the processor counted two reporters of " + indicator, WITHIN, () -> {
                HttpResponse<String> known = ServiceProbe.get(processor.port(), "/api/v1/indicators/" + scammer);
                return known.statusCode() == 200 && json(known.body()).path("last24h").path("distinctReporters")
                        .asInt() == 2;
            });
            HttpResponse<String> third = post(ingest, reporters.get(2), scammer, given);
            assertThat(third.statusCode()).isEqualTo(202);
            assertThat(third.headers().firstValue(CorrelationId.HTTP_HEADER)).contains(given);
            assertThat(third.headers().firstValue(CorrelationId.REQUEST_ID_HEADER)).contains(given);
            String reportId = json(third.body()).path("reportId").asText();

            ConsumerRecord<String, Report> report = first(cluster, topics.reports(),
                    record -> record.key().equals(reportId));
            assertThat(header(report)).isEqualTo(given);
            assertThat(report.value().getCorrelationId()).isEqualTo(given);

            ConsumerRecord<String, Alert> alert = first(cluster, topics.provinceAlerts(PROVINCE),
                    record -> record.key().equals(indicator));
            assertThat(alert.value().getLevel()).isEqualTo(AlertLevel.WARNING);
            assertThat(header(alert)).isEqualTo(given);
            assertThat(alert.value().getCorrelationId()).isEqualTo(given);
            String alertId = alert.value().getAlertId();

            Eventually.await("the webhook receives alert " + alertId, WITHIN,
                    () -> receiver.correlationIds.containsKey(alertId));
            assertThat(receiver.correlationIds.get(alertId)).isEqualTo(given);

            Eventually.await("the sink logged the delivery", WITHIN, () -> logs.jsonLines().stream()
                    .anyMatch(line -> line.path("logger_name").asText().endsWith("WebhookDelivery")
                            && line.path("message").asText().contains(alertId)));
            List<JsonNode> lines = logs.jsonLines();   // every line parses as one JSON object
            List<JsonNode> followed = lines.stream()
                    .filter(line -> given.equals(line.path(CorrelationId.MDC_KEY).asText(null))).toList();
            assertThat(followed).allSatisfy(line -> assertThat(line.fieldNames()).toIterable()
                    .contains("@timestamp", "level", "logger_name", "thread_name", "message"));
            assertThat(messagesOf(followed, "vn.bhxh.shield.ingest.")).anyMatch(m -> m.contains(reportId));
            assertThat(messagesOf(followed, "vn.bhxh.shield.processor.")).anyMatch(m -> m.contains(alertId));
            assertThat(messagesOf(followed, "vn.bhxh.shield.sink.")).anyMatch(m -> m.contains(alertId))
                    .anyMatch(m -> m.contains("webhook"));
            // The alert belongs to the report that crossed the level, not to the two before it.
            assertThat(lines).filteredOn(line -> line.path("message").asText().contains(alertId))
                    .allSatisfy(line -> assertThat(line.path(CorrelationId.MDC_KEY).asText()).isEqualTo(given));
            assertThat(logs.text()).doesNotContain(reporters.get(0), reporters.get(1), reporters.get(2),
                    reporters.get(2).substring(1));
        }
    }

    private static Settings settings(Map<String, String> kafka, Map<String, String> own) {
        Map<String, String> all = new HashMap<>(kafka);
        all.putAll(own);
        return Settings.of(all);
    }

    private static HttpResponse<String> post(IngestService ingest, String reporter, String scammer, String requestId)
            throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("channel", "HOTLINE", "reporterId", reporter,
                "province", PROVINCE, "contactMethod", "CALL", "phoneNumbers", List.of(scammer),
                "requested", List.of("OTP")));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + ingest.port() + "/api/v1/reports"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer dev-operator-token")
                .header("Content-Type", "application/json")
                .header(CorrelationId.REQUEST_ID_HEADER, requestId)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return response;
    }

    /** The first record of {@code topic} that matches, waiting for it (shared with {@link ChannelsAlertIT}). */
    static <T> ConsumerRecord<String, T> first(KafkaTestCluster cluster, Topic<String, T> topic,
                                                       Predicate<ConsumerRecord<String, T>> matching) {
        AtomicReference<ConsumerRecord<String, T>> found = new AtomicReference<>();
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(cluster.consumerProps("it-" + UUID.randomUUID()),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            Eventually.await("a matching record on " + topic.name(), WITHIN, () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (found.get() == null && matching.test(record)) {
                        found.set(record);
                    }
                });
                return found.get() != null;
            });
        }
        return found.get();
    }

    private static String header(ConsumerRecord<String, ?> record) {
        Header header = record.headers().lastHeader(CorrelationId.KAFKA_HEADER);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static List<String> messagesOf(List<JsonNode> lines, String loggerPrefix) {
        return lines.stream().filter(line -> line.path("logger_name").asText().startsWith(loggerPrefix))
                .map(line -> line.path("message").asText()).toList();
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    /** A provincial office's webhook endpoint: remembers the X-Correlation-Id of each alert it is sent. */
    private static final class Receiver implements AutoCloseable {

        final Map<String, String> correlationIds = new ConcurrentHashMap<>();
        private final HttpServer server;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.createContext("/alerts", exchange -> {
                exchange.getRequestBody().readAllBytes();
                String id = exchange.getRequestHeaders().getFirst(CorrelationId.HTTP_HEADER);
                correlationIds.put(exchange.getRequestHeaders().getFirst("Idempotency-Key"), String.valueOf(id));
                exchange.sendResponseHeaders(200, -1);
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
}
