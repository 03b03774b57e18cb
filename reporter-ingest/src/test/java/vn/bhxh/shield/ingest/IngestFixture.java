package vn.bhxh.shield.ingest;

import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.testkit.KafkaEndpoints;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.OpenApiContract;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/** A real reporter-ingest on a random port against a real cluster, with the documented development secrets. */
final class IngestFixture {

    static final String OPERATOR = "Bearer dev-operator-token";
    static final String POLICE = "Bearer dev-police-token";
    static final String FANPAGE = "Bearer dev-fanpage-token";
    static final OpenApiContract CONTRACT = OpenApiContract.of(IngestService.NAME);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private IngestFixture() {
    }

    static Settings settings(KafkaEndpoints cluster, String transactionalId) {
        return Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                IngestService.PORT, "0",
                IngestSettings.DEV_MODE, "true",
                IngestSettings.TRANSACTIONAL_ID, transactionalId,
                IngestSettings.PROCESSOR_URL, "http://localhost:1",
                IngestSettings.RATE_PER_SECOND, "1000"));
    }

    /** An ingest on the shared cluster with every topic created, healthy (its idempotency ledger loaded). */
    static IngestService startHealthy(Settings settings) {
        try {
            TopicProvisioner.ensure(KafkaTestCluster.shared().admin(), Topics.specs());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        IngestService ingest = IngestService.start(settings);
        ServiceProbe.awaitHealthy(ingest.port(), Duration.ofSeconds(30));
        return ingest;
    }

    static IngestService startHealthy() {
        return startHealthy(settings(KafkaTestCluster.shared(), "ingest-it-" + UUID.randomUUID()));
    }

    static HttpResponse<String> post(int port, String path, String body, Map<String, String> headers) {
        return post(port, path, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8), headers);
    }

    static HttpResponse<String> post(int port, String path, HttpRequest.BodyPublisher body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).POST(body);
        headers.forEach(request::header);
        return send(request.build());
    }

    static HttpResponse<String> get(int port, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(request::header);
        return send(request.build());
    }

    /** Every answer, whatever the test expects of it, must keep ingest's OpenAPI document. */
    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CONTRACT.check(HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> json(String authorization) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        return headers;
    }

    /** JSON headers with the fanpage webhook's signature of {@code body} by the app {@code secret}. */
    static Map<String, String> signed(String body, String secret) {
        Map<String, String> headers = json(null);
        headers.put("X-Hub-Signature-256", "sha256=" + Hashing.hmacSha256(secret.getBytes(StandardCharsets.UTF_8))
                .hashString(body, StandardCharsets.UTF_8));
        return headers;
    }

    /** Every report on bhxh.reports.v1 (read_committed) that matches, read until the end of the topic. */
    static List<Report> committedReports(KafkaEndpoints cluster, Predicate<Report> matching) {
        return committed(cluster, new Topics(cluster.registryClient()).reports(), matching).stream()
                .map(ConsumerRecord::value).toList();
    }

    /** Every indicator record on bhxh.indicator-events.v1 (read_committed) that matches, with key and timestamp. */
    static List<ConsumerRecord<String, IndicatorEvent>> committedIndicatorEvents(KafkaEndpoints cluster,
                                                                                Predicate<IndicatorEvent> matching) {
        return committed(cluster, new Topics(cluster.registryClient()).indicatorEvents(), matching);
    }

    /**
     * The same read_uncommitted: with {@link #committedIndicatorEvents}, tells a record of an aborted transaction
     * from one never written (or deleted by the broker).
     */
    static List<ConsumerRecord<String, IndicatorEvent>> uncommittedIndicatorEvents(KafkaEndpoints cluster,
                                                                                  Predicate<IndicatorEvent> matching) {
        return read(cluster, new Topics(cluster.registryClient()).indicatorEvents(), matching, "read_uncommitted");
    }

    private static <T> List<ConsumerRecord<String, T>> committed(KafkaEndpoints cluster, Topic<String, T> topic,
                                                                 Predicate<T> matching) {
        return read(cluster, topic, matching, "read_committed");
    }

    private static <T> List<ConsumerRecord<String, T>> read(KafkaEndpoints cluster, Topic<String, T> topic,
                                                            Predicate<T> matching, String isolation) {
        List<ConsumerRecord<String, T>> found = new ArrayList<>();
        Map<String, Object> props = new HashMap<>(cluster.consumerProps("it-" + UUID.randomUUID()));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            var partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(topic.name(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // Up to the last record written, committed or not: a 202 comes once the commit is decided, and the
            // commit markers reach the partitions a moment later. Reading to the last stable offset could stop
            // before a report just accepted; reading to the high watermark waits for its markers.
            var end = cluster.highWatermarks(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, T> record : consumer.poll(Duration.ofMillis(500))) {
                    if (matching.test(record.value())) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    /**
     * Where each partition of {@code topic} starts and ends now: a start above 0 means the broker deleted the
     * records before it (retention.ms counts from the records' timestamps).
     */
    static String logExtent(KafkaEndpoints cluster, String topic) {
        try (var consumer = new KafkaConsumer<>(cluster.consumerProps("it-" + UUID.randomUUID()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            return "log start offsets " + consumer.beginningOffsets(partitions) + ", high watermarks "
                    + cluster.highWatermarks(partitions);
        }
    }
}
