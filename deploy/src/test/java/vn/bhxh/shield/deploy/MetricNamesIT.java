package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.registry.SchemaRegistryClient;
import vn.bhxh.shield.runtime.FreePorts;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.DoNotOriginateEntry;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The dashboard and the alert rules watch only what the services really export: the three services run as their
 * images run them, a little traffic goes through (a police referral that lists a number and alerts Thanh Hóa, a
 * hotline report, a webhook that fails once then takes the alert, a partner reading the feed, an undecodable
 * report that is dead-lettered), then every metric name the dashboard's and the rules' expressions use must be on
 * some service's {@code /metrics}.
 */
class MetricNamesIT {

    private static final String PROVINCE = "thanh-hoa";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Path workDir;
    private static HttpServer receiver;
    private static final AtomicInteger webhookCalls = new AtomicInteger();
    private static ServicesFromImages services;
    private static Map<DeployedService, String> scrapes;

    @BeforeAll
    static void runTrafficThroughTheServices() throws Exception {
        workDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "metric-names-");
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        // Registered up front, as a deployment's earlier runs would have: a registry slowed down by a busy machine
        // then cannot fail the processor's start (it seeds the allowlist) or the first report.
        SchemaRegistryClient registry = cluster.registryClient();
        registry.register(Topics.REPORTS + "-value", Report.getClassSchema());
        registry.register(Topics.INDICATOR_EVENTS + "-value", IndicatorEvent.getClassSchema());
        registry.register(Topics.ALLOWLIST + "-value", AllowlistEntry.getClassSchema());
        registry.register(Topics.DO_NOT_ORIGINATE + "-value", DoNotOriginateEntry.getClassSchema());
        registry.register(Topics.BLOCKLIST + "-value", BlocklistEntry.getClassSchema());
        registry.register(Topics.DEAD_LETTER + "-value", DeadLetter.getClassSchema());
        registry.register(Topics.ALERTS_NATIONAL + "-value", Alert.getClassSchema());
        registry.register(Topics.provinceAlertsName(PROVINCE) + "-value", Alert.getClassSchema());
        // A provincial office whose server fails the first call, then takes every alert.
        receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        receiver.createContext("/alerts", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(webhookCalls.incrementAndGet() == 1 ? 503 : 204, -1);
            exchange.close();
        });
        receiver.start();
        String run = UUID.randomUUID().toString().substring(0, 8);
        services = ServicesFromImages.start(cluster, workDir, Map.of(
                DeployedService.REPORTER_INGEST, Map.of(
                        "INGEST_DEV_MODE", "true",
                        "INGEST_TRANSACTIONAL_ID", "metric-names-" + run),
                DeployedService.STREAM_PROCESSOR, Map.of(
                        "PROCESSOR_APPLICATION_ID", "metric-names-processor-" + run,
                        "PROCESSOR_STATE_DIR", workDir.resolve("processor-state").toString()),
                DeployedService.ALERT_SINK, Map.of(
                        "SINK_GROUP_ID", "metric-names-sink-" + run,
                        "SINK_PARTNER_KEYS", "viettel:viettel-test-key",
                        "SINK_WEBHOOKS", PROVINCE + "=http://localhost:" + receiver.getAddress().getPort() + "/alerts",
                        "SINK_WEBHOOK_SECRET_THANH_HOA", "metric-names-secret",
                        "SINK_WEBHOOK_BACKOFF_MS", "100")));

        String number = "0904" + (100_000 + (int) (Math.random() * 899_999)); // 0904: a MobiFone prefix in use
        post(DeployedService.REPORTER_INGEST, "/api/v1/police/referrals", "Bearer dev-police-token",
                "[{\"identifier\":\"" + number + "\",\"caseReference\":\"VKS-" + run + "\",\"unit\":\"PC02\","
                        + "\"province\":\"" + PROVINCE + "\"}]");
        post(DeployedService.REPORTER_INGEST, "/api/v1/reports", "Bearer dev-operator-token",
                "{\"channel\":\"HOTLINE\",\"reporterId\":\"0912345678\",\"province\":\"" + PROVINCE + "\","
                        + "\"contactMethod\":\"CALL\",\"phoneNumbers\":[\"" + number + "\"],\"requested\":[\"OTP\"]}");
        try (var raw = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.INDICATOR_EVENTS, "garbage-" + run,
                    "not avro".getBytes(StandardCharsets.UTF_8))).get();
        }

        Eventually.await("the alert reaches the webhook, after one failure", Duration.ofSeconds(90),
                () -> services.metric(DeployedService.ALERT_SINK,
                        "bhxh_sink_webhook_deliveries_total{endpoint") >= 1
                        && webhookCalls.get() >= 2);
        Eventually.await("the garbage report is dead-lettered", Duration.ofSeconds(60),
                () -> services.metric(DeployedService.STREAM_PROCESSOR,
                        "bhxh_processor_dead_letters_total{kind=\"DESERIALIZATION\"") >= 1);
        Eventually.await("the listing reaches the partner feed", Duration.ofSeconds(60),
                () -> services.metric(DeployedService.ALERT_SINK, "bhxh_sink_blocklist_entries") >= 1);
        HttpResponse<String> feed = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + services.port(DeployedService.ALERT_SINK) + "/api/v1/blocklist"))
                .header("Authorization", "Bearer viettel-test-key").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(feed.statusCode()).isEqualTo(200);

        scrapes = new EnumMap<>(DeployedService.class);
        for (DeployedService service : DeployedService.values()) {
            scrapes.put(service, services.metrics(service));
            // Left for whoever writes the next panel: what each service exports.
            Files.writeString(workDir.resolve(service.name + ".metrics.txt"), scrapes.get(service));
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (services != null) {
            services.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void everyMetricTheDashboardAndTheRulesUseIsExported() {
        Set<String> exported = new TreeSet<>();
        scrapes.values().forEach(scrape -> exported.addAll(sampleNames(scrape)));
        Map<String, Set<String>> used = ObservabilityConfig.metricNames();
        assertThat(used).isNotEmpty();
        List<String> missing = used.entrySet().stream().filter(use -> !exported.contains(use.getKey()))
                .map(use -> use.getKey() + " (used by " + String.join("; ", use.getValue()) + ")").toList();
        assertThat(missing).as("metric names no service exports").isEmpty();
    }

    @Test
    void theTrafficShowsUnderTheMetricsTheDashboardDrawsFrom() {
        String ingest = scrapes.get(DeployedService.REPORTER_INGEST);
        assertThat(sample(ingest, "ingest_reports_written_total", "channel=\"POLICE\"", "province=\"" + PROVINCE + "\""))
                .isEqualTo(1);
        assertThat(sample(ingest, "ingest_reports_written_total", "channel=\"HOTLINE\"", "province=\"" + PROVINCE + "\""))
                .isEqualTo(1);
        assertThat(sample(ingest, "ingest_reports_written_total", "channel=\"FANPAGE\"", "province=\"none\""))
                .as("registered at zero").isZero();

        // Counted as the processor processes: a task retried under exactly-once may count again, and the
        // shared broker may hold other tests' records; so "some", where ingest's count (after commit) is exact.
        String processor = scrapes.get(DeployedService.STREAM_PROCESSOR);
        assertThat(sample(processor, "bhxh_processor_alerts_total", "level=\"BLOCKED\"")).isPositive();
        assertThat(sample(processor, "bhxh_processor_province_alerts_total", "level=\"BLOCKED\"",
                "province=\"" + PROVINCE + "\"")).isPositive();
        assertThat(sample(processor, "bhxh_processor_province_alerts_total", "level=\"BLOCKED\"",
                "province=\"national\"")).isPositive();
        // Registered from the start; not necessarily still zero: other tests' reports are on the shared broker.
        assertThat(series(processor, "bhxh_processor_province_alerts_total", "level=\"WARNING\"",
                "province=\"ca-mau\"")).as("registered").isNotEmpty();
        assertThat(sample(processor, "bhxh_processor_listings_total", "change=\"CONFIRMED\"")).isPositive();
        assertThat(sample(processor, "bhxh_processor_dead_letters_total", "kind=\"DESERIALIZATION\"")).isPositive();

        String sink = scrapes.get(DeployedService.ALERT_SINK);
        assertThat(sample(sink, "bhxh_sink_blocklist_entries")).isPositive();
        assertThat(sample(sink, "bhxh_sink_webhook_failures_total", "province=\"" + PROVINCE + "\"")).isEqualTo(1);
        assertThat(sample(sink, "bhxh_sink_webhook_deliveries_total", "outcome=\"delivered\"")).isPositive();
        assertThat(sample(sink, "bhxh_sink_webhook_deliveries_total", "outcome=\"dead_lettered\""))
                .as("registered at zero").isZero();
        assertThat(sample(sink, "bhxh_sink_partner_requests_total", "partner=\"viettel\"")).isEqualTo(1);
    }

    @Test
    void eachImagesHealthCheckPassesOnItsRunningServiceAndFailsWhereNothingListens()
            throws IOException, InterruptedException {
        for (DeployedService service : DeployedService.values()) {
            List<String> healthcheck = Dockerfile.in(service.module()).healthcheck();
            assertThat(exitCode(healthcheck, service.portSetting, services.port(service)))
                    .as("%s's HEALTHCHECK on the service", service.name).isZero();
            assertThat(exitCode(healthcheck, service.portSetting, FreePorts.pick()))
                    .as("%s's HEALTHCHECK where nothing listens", service.name).isNotZero();
        }
    }

    private static int exitCode(List<String> command, String portSetting, int port)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put(portSetting, Integer.toString(port));
        return builder.start().waitFor();
    }

    /** The names of the samples in a Prometheus text scrape: counters with _total, histograms' _bucket and so on. */
    private static Set<String> sampleNames(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    /** The sum of the samples named {@code name} whose labels contain every one of {@code labels}. */
    private static double sample(String scrape, String name, String... labels) {
        return series(scrape, name, labels).stream()
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static List<String> series(String scrape, String name, String... labels) {
        return scrape.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .toList();
    }

    private static void post(DeployedService service, String path, String authorization, String json)
            throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + services.port(service) + path))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", service.name, path, response.body()).isEqualTo(202);
    }
}
