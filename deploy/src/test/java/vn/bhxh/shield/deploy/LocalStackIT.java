package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.registry.SchemaRegistryClient;
import vn.bhxh.shield.runtime.FreePorts;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.serde.AvroSerde;
import vn.bhxh.shield.serde.GenericAvroDeserializer;
import vn.bhxh.shield.testkit.KafkaEndpoints;
import vn.bhxh.shield.topic.Topics;

/**
 * What the README's run command promises: a real broker, the registry and three services as separate
 * processes, every /health 200; a report written with the serde is readable by a client that knows only the
 * registry URL; and the data directory, with the processor's local state, survives a restart of the whole stack.
 */
class LocalStackIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void startsEverythingHealthyAndKeepsDataAcrossRestarts(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("BHXH_DATA_DIR", dataDir.toString());
        for (String port : List.of("KAFKA_PORT", "KAFKA_CONTROLLER_PORT", "SCHEMA_REGISTRY_PORT", "INGEST_HTTP_PORT",
                "PROCESSOR_HTTP_PORT", "SINK_HTTP_PORT")) {
            env.put(port, Integer.toString(FreePorts.pick()));
        }
        LocalStackConfig config = LocalStackConfig.from(Settings.of(env));
        Report report = report();

        Instant begin = Instant.now();
        try (LocalStack stack = new LocalStack(config)) {
            stack.start();
            System.out.printf("local stack healthy after %d ms%n", Duration.between(begin, Instant.now()).toMillis());
            for (int port : List.of(config.ingestPort(), config.processorPort(), config.sinkPort())) {
                assertThat(get("http://localhost:" + port + "/health").statusCode()).isEqualTo(200);
                HttpResponse<String> metrics = get("http://localhost:" + port + "/metrics");
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.body()).contains("jvm_memory_used_bytes");
            }
            assertThat(get(config.registryUrl() + "/subjects").statusCode()).isEqualTo(200);
            try (Admin admin = admin(config)) {
                Set<String> topics = admin.listTopics().names().get();
                assertThat(topics).containsAll(Topics.specs().stream().map(s -> s.name()).toList());
            }
            produce(config, report);
            String posted = postThreeTimesWithOneIdempotencyKey(config);
            assertThat(readReportIds(config)).as("each report exactly once")
                    .containsExactlyInAnyOrder(report.getReportId(), posted);
        }
        assertThat(stores(dataDir.resolve("processor-state"))).as("the processor's local state (its stores, with "
                + "their changelog offsets) in the data directory, where a restart finds it; found %s", tree(dataDir))
                .isNotEmpty();

        try (LocalStack restarted = new LocalStack(config)) {
            restarted.start();
            assertThat(readReportIds(config)).as("reports kept in the data directory")
                    .hasSize(2).contains(report.getReportId());
        }
    }

    /** The hotline API as a client that retries: the same Idempotency-Key three times gives one reportId. */
    private String postThreeTimesWithOneIdempotencyKey(LocalStackConfig config) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + config.ingestPort()
                        + "/api/v1/reports"))
                .header("Authorization", "Bearer dev-operator-token")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "local-stack-it-" + UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"channel": "HOTLINE", "reporterId": "0912345678", "province": "Thanh Hóa",
                         "contactMethod": "CALL", "phoneNumbers": ["0904.038.115"], "requested": ["OTP"]}"""))
                .build();
        Set<String> reportIds = new HashSet<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            reportIds.add(JSON.readTree(response.body()).get("reportId").asText());
        }
        assertThat(reportIds).hasSize(1);
        return reportIds.iterator().next();
    }

    private static Report report() {
        return Report.newBuilder()
                .setReportId("r-local-stack-1")
                .setChannel(Channel.HOTLINE)
                .setReporterPseudonym("5f0c4e")
                .setProvince("thanh-hoa")
                .setPhoneNumbers(List.of("0904.038.115"))
                // Recent, never a fixed date: the topic keeps reports 90 days counted from their time.
                .setReceivedAt(Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3)))
                .setSubmittedBy("operator-1")
                .build();
    }

    private static void produce(LocalStackConfig config, Report report) throws Exception {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        var serde = new AvroSerde<>(new SchemaRegistryClient(config.registryUrl()), Report.class);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(Topics.REPORTS, report.getReportId(), report)).get();
        }
    }

    /**
     * Every report id on the topic, read to its end by a client that knows only the bootstrap servers and the
     * registry URL (no generated classes), with read_committed.
     */
    private static List<String> readReportIds(LocalStackConfig config) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                "schema.registry.url", config.registryUrl());
        GenericAvroDeserializer values = new GenericAvroDeserializer();
        values.configure(props, false);
        List<String> ids = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, GenericRecord>(props, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.REPORTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // To the high watermarks, not this consumer's end offsets: those stop before the transaction of a 202
            // given a moment ago whose commit markers have not reached the partition yet (it failed CI once).
            Map<TopicPartition, Long> ends = endpoints(config).highWatermarks(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> ids.add(r.value().get("reportId").toString()));
            }
        }
        return ids;
    }

    private static KafkaEndpoints endpoints(LocalStackConfig config) {
        return new KafkaEndpoints() {
            @Override
            public String bootstrapServers() {
                return config.bootstrapServers();
            }

            @Override
            public String registryUrl() {
                return config.registryUrl();
            }
        };
    }

    /** The RocksDB stores under {@code stateDir}: the tasks' and the global allowlist's local state. */
    private static List<Path> stores(Path stateDir) throws IOException {
        if (!Files.isDirectory(stateDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(stateDir)) {
            return files.filter(file -> Files.isDirectory(file) && file.getFileName().toString().equals("rocksdb"))
                    .toList();
        }
    }

    /** What the data directory holds but the broker's log directory, for a failure's message. */
    private static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir, 4)) {
            return files.map(dir::relativize).map(Path::toString).filter(f -> !f.startsWith("kafka")).toList();
        }
    }

    private static Admin admin(LocalStackConfig config) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()));
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

}
