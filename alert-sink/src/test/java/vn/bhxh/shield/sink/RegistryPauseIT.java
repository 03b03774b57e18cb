package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.IndicatorKind;
import vn.bhxh.shield.serde.ConfluentWireFormat;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.PausableProxy;
import vn.bhxh.shield.testkit.SchemaEvolution;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The schema registry paused (it accepts connections and never answers) while a sink starts and while it runs: the
 * sink skips nothing it could not decode for that reason, is unready meanwhile, and afterwards serves the same feed
 * and has counted and dead-lettered exactly what an instance with a healthy registry did (the truly bad records
 * other tests left in the shared topics).
 */
class RegistryPauseIT {

    private static final String PARTNER_KEY = "pause-it-partner-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Longer than the registry client's 10 s timeout: every loop has tried and failed at least once. */
    private static final Duration PAUSE = Duration.ofSeconds(15);

    private final KafkaTestCluster cluster = KafkaTestCluster.shared();

    @Test
    void aSinkStartedAndRunningWhileTheRegistryDoesNotAnswerSkipsNothing() throws Exception {
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        String before = randomPhone();
        try (var raw = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
             PausableProxy registry = PausableProxy.to(cluster.registryUrl())) {
            // Something on every source the sink decodes, written before it starts.
            raw.send(new ProducerRecord<>(Topics.BLOCKLIST, before,
                    topics.blocklist().valueSerde().serializer().serialize(Topics.BLOCKLIST, listing(before)))).get();
            raw.send(new ProducerRecord<>(Topics.ALLOWLIST, "tel:+842437236555", topics.allowlist().valueSerde()
                    .serializer().serialize(Topics.ALLOWLIST, official("tel:+842437236555")))).get();
            raw.send(new ProducerRecord<>(Topics.ALERTS_NATIONAL, "tel:+84904038115", topics.nationalAlerts()
                    .valueSerde().serializer().serialize(Topics.ALERTS_NATIONAL,
                            WebhookDeliveryIT.alert("pause-it-before-" + System.nanoTime(), "national")))).get();

            try (AlertSinkService healthy = start(cluster.registryUrl(), "healthy")) {
                ServiceProbe.awaitHealthy(healthy.port(), Duration.ofSeconds(60));
                registry.pause();
                try (AlertSinkService paused = start(registry.url(), "paused")) {
                    assertUnreadyButAliveFor(paused, PAUSE);
                    registry.resume();
                    awaitReady(paused);
                    awaitSameFeed(healthy, paused, before);

                    // While it runs: records with a writer schema it has not fetched yet (a newer producer).
                    String during = randomPhone();
                    Schema newerListing = SchemaEvolution.withOptionalField(BlocklistEntry.getClassSchema(), "note");
                    Schema newerAlert = SchemaEvolution.withOptionalField(Alert.getClassSchema(), "note");
                    int listingId = cluster.registryClient().register("registry-pause-it-listing-value", newerListing);
                    int alertId = cluster.registryClient().register("registry-pause-it-alert-value", newerAlert);
                    registry.pause();
                    raw.send(new ProducerRecord<>(Topics.BLOCKLIST, during,
                            newer(listingId, newerListing, listing(during)))).get();
                    raw.send(new ProducerRecord<>(Topics.ALERTS_NATIONAL, "tel:+84904038115", newer(alertId,
                            newerAlert, WebhookDeliveryIT.alert("pause-it-during-" + System.nanoTime(), "national"))))
                            .get();
                    Eventually.await("the running sink turns unready", Duration.ofSeconds(60),
                            () -> status(paused, "/health/ready") == 503);
                    assertUnreadyButAliveFor(paused, PAUSE);
                    registry.resume();
                    awaitReady(paused);
                    awaitSameFeed(healthy, paused, during);

                    Eventually.await("both routed every alert", Duration.ofSeconds(60),
                            () -> metric(paused, "bhxh_sink_alerts_received_total")
                                    == metric(healthy, "bhxh_sink_alerts_received_total"));
                    for (String counted : List.of("bhxh_sink_undecodable_records_total{",
                            "bhxh_sink_dead_letters_total{kind=\"DESERIALIZATION\"")) {
                        assertThat(metric(paused, counted)).as(counted).isEqualTo(metric(healthy, counted));
                    }
                    assertThat(metric(paused, "bhxh_loop_failures_total")).as("nothing failed: it waited")
                            .isZero();
                }
            }
        }
    }

    private AlertSinkService start(String registryUrl, String name) {
        return AlertSinkService.start(Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", registryUrl,
                "SINK_GROUP_ID", "sink-pause-it-" + name + "-" + System.nanoTime(),
                "SINK_PARTNER_KEYS", "viettel:" + PARTNER_KEY,
                "SINK_RETRY_MAX_BACKOFF_MS", "2000",
                "SINK_HTTP_PORT", "0")));
    }

    private static void assertUnreadyButAliveFor(AlertSinkService sink, Duration window) throws InterruptedException {
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < end) {
            assertThat(status(sink, "/health/ready")).as("ready while it cannot decode").isEqualTo(503);
            assertThat(status(sink, "/health")).as("the old path answers as ready").isEqualTo(503);
            assertThat(status(sink, "/health/live")).as("live: it waits, nothing is wedged").isEqualTo(200);
            Thread.sleep(1_000);
        }
    }

    private static void awaitReady(AlertSinkService sink) {
        Eventually.await("ready once the registry answers", Duration.ofSeconds(90),
                () -> status(sink, "/health/ready") == 200);
    }

    /** Both instances at the same version, with the same entries, holding {@code indicator}. */
    private static void awaitSameFeed(AlertSinkService healthy, AlertSinkService paused, String indicator) {
        Eventually.await("the feed of the paused instance equals the healthy one's", Duration.ofSeconds(90), () -> {
            JsonNode a = feed(healthy);
            JsonNode b = feed(paused);
            return a.get("version").equals(b.get("version")) && a.toString().contains(indicator);
        });
        JsonNode a = feed(healthy);
        JsonNode b = feed(paused);
        assertThat(b.get("entries")).isEqualTo(a.get("entries"));
        assertThat(b.get("checksum")).isEqualTo(a.get("checksum"));
    }

    private static JsonNode feed(AlertSinkService sink) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + sink.port() + "/api/v1/blocklist"))
                    .header("Authorization", "Bearer " + PARTNER_KEY).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int status(AlertSinkService sink, String path) {
        return ServiceProbe.get(sink.port(), path).statusCode();
    }

    private static double metric(AlertSinkService sink, String prefix) {
        return ServiceProbe.metric(sink.port(), prefix);
    }

    /** What a producer of a newer contract writes: the record's Avro plus its new (null) field, under its id. */
    private static byte[] newer(int schemaId, Schema newer, SpecificRecord record) {
        return ConfluentWireFormat.encode(schemaId,
                SchemaEvolution.avro(newer, SchemaEvolution.upgrade(record, newer, "note", null)));
    }

    static BlocklistEntry listing(String indicator) {
        Instant at = Instant.now().minusSeconds(3600);
        return BlocklistEntry.newBuilder()
                .setIndicator(indicator)
                .setKind(IndicatorKind.PHONE)
                .setStatus(BlocklistStatus.LISTED)
                .setReason("5 người báo cáo, yêu cầu OTP")
                .setDistinctReporters(5)
                .setWeightedReporters(5)
                .setReportCount(5)
                .setProvinces(List.of("ha-noi"))
                .setFirstSeen(at)
                .setLastSeen(at)
                .setListedAt(at)
                .setExpiresAt(at.plus(Duration.ofDays(90)))
                .build();
    }

    private static AllowlistEntry official(String indicator) {
        return AllowlistEntry.newBuilder().setIndicator(indicator).setKind(IndicatorKind.PHONE)
                .setName("Kênh chính thức BHXH").setIncludeSubdomains(false).setSource("test")
                .setAddedAt(Instant.now()).build();
    }

    static String randomPhone() {
        return "tel:+8491" + (1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999));
    }
}
