package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.deploy.ops.Decide;
import vn.bhxh.shield.ingest.IngestService;
import vn.bhxh.shield.processor.ProcessorService;
import vn.bhxh.shield.registry.EmbeddedSchemaRegistry;
import vn.bhxh.shield.registry.SchemaRegistryClient;
import vn.bhxh.shield.runtime.FreePorts;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.runtime.SingleNodeKafka;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DoNotOriginateEntry;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.sink.AlertSinkService;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaBrokerProcess;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicSpec;
import vn.bhxh.shield.topic.Topics;

/**
 * The "Done when" of production readiness: the services need nothing but {@code KAFKA_BOOTSTRAP_SERVERS} and
 * {@code SCHEMA_REGISTRY_URL}. A broker and its registry are started apart from the stack, as a cluster is; the
 * launcher, given only those two (besides HTTP ports and the development accounts), starts no broker and no
 * registry of its own, creates the topics, and the three services carry a police report to a listing on the
 * partner feed and an alert on the dashboard side; the operator's {@link Decide} DELIST then lifts the listing.
 */
class ExternalModeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FLOW_WITHIN = Duration.ofSeconds(90);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void runsTheServicesAgainstABrokerAndRegistryStartedSeparately(@TempDir Path dataDir) throws Exception {
        try (KafkaBrokerProcess cluster = KafkaBrokerProcess.create().start()) {
            EmbeddedSchemaRegistry registry = cluster.startRegistry();
            LocalStackConfig config = LocalStackConfig.from(Settings.of(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                    "SCHEMA_REGISTRY_URL", registry.url(),
                    "BHXH_DATA_DIR", dataDir.toString(),
                    "INGEST_HTTP_PORT", Integer.toString(FreePorts.pick()),
                    "PROCESSOR_HTTP_PORT", Integer.toString(FreePorts.pick()),
                    "SINK_HTTP_PORT", Integer.toString(FreePorts.pick()))));
            assertThat(topicNames(cluster)).as("a fresh cluster").noneMatch(name -> name.startsWith("bhxh."));
            registerSchemasFirst(registry.url());

            try (LocalStack stack = new LocalStack(config)) {
                stack.start();

                assertThat(childMains()).as("the launcher's processes, besides the test's own broker")
                        .containsOnlyOnce(SingleNodeKafka.BROKER_MAIN)
                        .doesNotContain(EmbeddedSchemaRegistry.class.getName())
                        .contains(IngestService.class.getName(), ProcessorService.class.getName(),
                                AlertSinkService.class.getName());
                assertThat(dataDir.resolve("kafka")).as("no broker data of its own").doesNotExist();
                assertTopicsAsSpecified(cluster);
                for (int port : List.of(config.ingestPort(), config.processorPort(), config.sinkPort())) {
                    assertThat(ServiceProbe.get(port, "/health").statusCode()).isEqualTo(200);
                }

                String indicator = postPoliceReport(config.ingestPort(), "0994.311.220");
                assertThat(indicator).isEqualTo("tel:+84994311220");
                Eventually.await("the police report listed on the partner feed", FLOW_WITHIN,
                        () -> partnerFeedIndicators(config.sinkPort()).filter(l -> l.contains(indicator)).isPresent());
                Eventually.await("the alert read by alert-sink", FLOW_WITHIN, () -> ServiceProbe.metric(
                        config.sinkPort(), "bhxh_sink_alerts_received_total") > 0);

                // An appeal upheld: the operator's tool, connected by the same two settings, lifts the listing.
                Decide.write(KafkaSettings.from(Settings.of(Map.of(
                        KafkaSettings.BOOTSTRAP_SERVERS, cluster.bootstrapServers(),
                        KafkaSettings.SCHEMA_REGISTRY_URL, registry.url()))),
                        Decide.decision("DELIST", "0994 311 220", "ops-it", "appeal KN-1 upheld", Instant.now()));
                Eventually.await("the DELIST lifts it from the partner feed", FLOW_WITHIN,
                        () -> partnerFeedIndicators(config.sinkPort()).filter(l -> !l.contains(indicator)).isPresent());
            }
            assertThat(cluster.isRunning()).as("the stack leaves a cluster it did not start running").isTrue();
        }
    }

    /**
     * As the runbook has it for production: the schemas are in the registry before the services start. Here it
     * also keeps a registry slowed by a busy machine from failing the processor's start-up write (10 s timeout).
     */
    private static void registerSchemasFirst(String registryUrl) {
        SchemaRegistryClient registry = new SchemaRegistryClient(registryUrl, null, Duration.ofMinutes(2));
        registry.register(Topics.ALLOWLIST + "-value", AllowlistEntry.getClassSchema());
        registry.register(Topics.DO_NOT_ORIGINATE + "-value", DoNotOriginateEntry.getClassSchema());
        registry.register(Topics.REPORTS + "-value", Report.getClassSchema());
        registry.register(Topics.INDICATOR_EVENTS + "-value", IndicatorEvent.getClassSchema());
        registry.register(Topics.BLOCKLIST + "-value", BlocklistEntry.getClassSchema());
        registry.register(Topics.DECISIONS + "-value", Decision.getClassSchema());
        registry.register(Topics.DEAD_LETTER + "-value", DeadLetter.getClassSchema());
        for (String alerts : List.of(Topics.ALERTS_NATIONAL, Topics.provinceAlertsName("thanh-hoa"))) {
            registry.register(alerts + "-value", Alert.getClassSchema());
        }
    }

    @Test
    void refusesHalfAnExternalSetup() {
        assertThatThrownBy(() -> LocalStackConfig.from(Settings.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"))))
                .hasMessageContaining("SCHEMA_REGISTRY_URL");
        assertThatThrownBy(() -> LocalStackConfig.from(Settings.of(Map.of("SCHEMA_REGISTRY_URL", "http://r:8081"))))
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
    }

    /**
     * Main classes of this JVM's child processes: the test's broker and whatever the launcher started. Read from
     * /proc where there is one (Linux, as CI): there the JDK's {@code ProcessHandle.Info} leaves out command lines
     * as long as a classpath.
     */
    private static List<String> childMains() {
        Set<String> mains = Set.of(SingleNodeKafka.BROKER_MAIN, EmbeddedSchemaRegistry.class.getName(),
                IngestService.class.getName(), ProcessorService.class.getName(), AlertSinkService.class.getName());
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .flatMap(child -> arguments(child).stream())
                .filter(mains::contains)
                .toList();
    }

    private static List<String> arguments(ProcessHandle child) {
        Path cmdline = Path.of("/proc", Long.toString(child.pid()), "cmdline");
        try {
            return List.of(Files.readString(cmdline).split("\0"));
        } catch (IOException noProcOrExited) {
            return child.info().arguments().map(List::of).orElse(List.of());
        }
    }

    private static void assertTopicsAsSpecified(KafkaBrokerProcess cluster) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(
                    Topics.specs().stream().map(TopicSpec::name).toList()).allTopicNames().get();
            for (TopicSpec spec : Topics.specs()) {
                assertThat(topics.get(spec.name()).partitions()).as(spec.name()).hasSize(spec.partitions());
            }
        }
    }

    private static Set<String> topicNames(KafkaBrokerProcess cluster) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            return admin.listTopics().names().get();
        }
    }

    /** A police unit's report: listed at once. Returns the canonical indicator ingest answered. */
    private String postPoliceReport(int ingestPort, String number) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + ingestPort + "/api/v1/reports"))
                .header("Authorization", "Bearer dev-police-token")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "external-mode-it-" + UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"channel": "POLICE", "reporterId": "PA05-thanh-hoa", "province": "Thanh Hóa",
                         "contactMethod": "CALL", "phoneNumbers": ["%s"], "requested": ["OTP"]}""".formatted(number)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("indicators").get(0).asText();
    }

    /** The indicators on the partner feed; empty while the sink does not answer with a feed. */
    private Optional<List<String>> partnerFeedIndicators(int sinkPort) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + sinkPort + "/api/v1/blocklist"))
                .header("Authorization", "Bearer viettel-dev-key").build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() != 200 ? Optional.empty()
                    : Optional.of(JSON.readTree(response.body()).get("entries").findValuesAsText("indicator"));
        } catch (IOException notYet) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
