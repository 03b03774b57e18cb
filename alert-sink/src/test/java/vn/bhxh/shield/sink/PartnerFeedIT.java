package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.IndicatorKind;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.OpenApiContract;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/** The telecom partners' feed against a real broker and registry: what a partner's client would do. */
class PartnerFeedIT {

    private static final String VIETTEL_KEY = "viettel-feed-key-1";
    private static final String OFFICIAL_HANOI = "tel:+842437236555";
    private static final String OFFICIAL_SUBDOMAIN_PAGE = "url:https://hanoi.baohiemxahoi.gov.vn/tra-cuu";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static KafkaProducer<String, BlocklistEntry> blocklist;
    private static KafkaProducer<String, AllowlistEntry> allowlist;
    private static KafkaTestCluster cluster;
    private static AlertSinkService sink;
    private static String listedBeforeStart;

    @BeforeAll
    static void startSink() throws Exception {
        cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());
        blocklist = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                topics.blocklist().valueSerde().serializer());
        allowlist = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                topics.allowlist().valueSerde().serializer());
        allowlist.send(new ProducerRecord<>(Topics.ALLOWLIST, OFFICIAL_HANOI,
                official(OFFICIAL_HANOI, IndicatorKind.PHONE, false))).get();
        allowlist.send(new ProducerRecord<>(Topics.ALLOWLIST, "domain:baohiemxahoi.gov.vn",
                official("domain:baohiemxahoi.gov.vn", IndicatorKind.DOMAIN, true))).get();
        listedBeforeStart = randomPhone();
        list(listedBeforeStart);

        sink = startInstance();
    }

    private static AlertSinkService startInstance() {
        AlertSinkService instance = AlertSinkService.start(Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "SINK_GROUP_ID", "sink-feed-it-" + System.nanoTime(),
                "SINK_PARTNER_KEYS", "viettel:" + VIETTEL_KEY + ",vnpt:vnpt-feed-key-2",
                "SINK_HTTP_PORT", "0")));
        ServiceProbe.awaitHealthy(instance.port(), Duration.ofSeconds(60));
        return instance;
    }

    @AfterAll
    static void stopSink() throws Exception {
        sink.close();
        blocklist.close();
        allowlist.close();
    }

    @Test
    void refusesAnyoneWithoutAPartnerKey() throws Exception {
        assertThat(get("/api/v1/blocklist", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/blocklist", "not-a-partner-key").statusCode()).isEqualTo(401);
    }

    @Test
    void snapshotPlusChangesRebuildsTheListAndTheChecksumProvesIt() throws Exception {
        JsonNode before = json(get("/api/v1/blocklist", VIETTEL_KEY));
        assertThat(indicators(before.get("entries"))).containsKey(listedBeforeStart);
        assertThat(checksum(indicators(before.get("entries")))).isEqualTo(before.get("checksum").asText());

        String added = randomPhone();
        list(added);
        list(OFFICIAL_HANOI); // a listing that slipped past the processor's guard
        list(OFFICIAL_SUBDOMAIN_PAGE);
        blocklist.send(new ProducerRecord<>(Topics.BLOCKLIST, listedBeforeStart, null)).get();

        Eventually.await("the new listing and the lifted one reach the feed", Duration.ofSeconds(60), () -> {
            Map<String, JsonNode> now = indicators(json(get("/api/v1/blocklist", VIETTEL_KEY)).get("entries"));
            return now.containsKey(added) && !now.containsKey(listedBeforeStart);
        });
        JsonNode changes = json(get("/api/v1/blocklist/changes?since=" + before.get("version").asText(),
                VIETTEL_KEY));

        Map<String, JsonNode> copy = indicators(before.get("entries"));
        changes.get("upserted").forEach(entry -> copy.put(entry.get("indicator").asText(), entry));
        changes.get("removed").forEach(indicator -> copy.remove(indicator.asText()));
        assertThat(copy).containsKey(added).doesNotContainKey(listedBeforeStart);
        assertThat(copy.get(added).get("display").asText()).matches("0\\d{3} \\d{3} \\d{3}");
        assertThat(checksum(copy)).isEqualTo(changes.get("checksum").asText());
        assertThat(changes.get("version").asText()).isNotEqualTo(before.get("version").asText());
        assertThat(copy).doesNotContainKeys(OFFICIAL_HANOI, OFFICIAL_SUBDOMAIN_PAGE);
        assertThat(changes.toString()).doesNotContain(OFFICIAL_HANOI, OFFICIAL_SUBDOMAIN_PAGE);
    }

    @Test
    void csvHasAHeaderAndOneRowPerEntryWithoutOfficialChannels() throws Exception {
        String added = randomPhone();
        list(added);
        list(OFFICIAL_HANOI);
        Eventually.await("the listing reaches the feed", Duration.ofSeconds(60),
                () -> get("/api/v1/blocklist?format=csv", VIETTEL_KEY).body().contains(added));
        HttpResponse<String> csv = get("/api/v1/blocklist?format=csv", VIETTEL_KEY);
        List<String> lines = csv.body().lines().toList();

        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/csv"));
        assertThat(lines.get(0)).startsWith("indicator,display,kind,status,reason");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith(added + ",").contains(",PHONE,LISTED,"));
        assertThat(csv.body()).doesNotContain(OFFICIAL_HANOI);
    }

    /**
     * A partner polls one instance, that instance restarts (its memory gone), the partner polls again: the restarted
     * instance and any other answer the changes since the partner's version, the same changes, from the topic.
     */
    @Test
    void aRestartedInstanceAndAnyOtherAnswerTheChangesSinceThePartnersVersion() throws Exception {
        String lifted = randomPhone();
        list(lifted);
        JsonNode partnerPoll;
        try (AlertSinkService first = startInstance()) {
            Eventually.await("the instance has the listing", Duration.ofSeconds(60),
                    () -> indicators(json(get(first, "/api/v1/blocklist", VIETTEL_KEY)).get("entries"))
                            .containsKey(lifted));
            partnerPoll = json(get(first, "/api/v1/blocklist", VIETTEL_KEY));
        }
        String version = partnerPoll.get("version").asText();
        String addedWhileDown = randomPhone();
        list(addedWhileDown);
        blocklist.send(new ProducerRecord<>(Topics.BLOCKLIST, lifted, null)).get();

        try (AlertSinkService restarted = startInstance()) {
            Eventually.await("both instances have read the changes", Duration.ofSeconds(60), () -> {
                JsonNode a = json(get(sink, "/api/v1/blocklist", VIETTEL_KEY));
                JsonNode b = json(get(restarted, "/api/v1/blocklist", VIETTEL_KEY));
                return a.get("version").equals(b.get("version"))
                        && indicators(a.get("entries")).containsKey(addedWhileDown)
                        && !indicators(a.get("entries")).containsKey(lifted);
            });
            HttpResponse<String> fromRestarted = get(restarted, "/api/v1/blocklist/changes?since=" + version,
                    VIETTEL_KEY);
            HttpResponse<String> fromOther = get(sink, "/api/v1/blocklist/changes?since=" + version, VIETTEL_KEY);
            assertThat(fromRestarted.statusCode()).as(fromRestarted.body()).isEqualTo(200);
            assertThat(json(fromRestarted)).isEqualTo(json(fromOther));

            JsonNode changes = json(fromRestarted);
            Map<String, JsonNode> copy = indicators(partnerPoll.get("entries"));
            changes.get("upserted").forEach(entry -> copy.put(entry.get("indicator").asText(), entry));
            changes.get("removed").forEach(indicator -> copy.remove(indicator.asText()));
            assertThat(copy).containsKey(addedWhileDown).doesNotContainKey(lifted);
            assertThat(checksum(copy)).isEqualTo(changes.get("checksum").asText());
            assertThat(copy.keySet()).isEqualTo(indicators(json(get(restarted, "/api/v1/blocklist", VIETTEL_KEY))
                    .get("entries")).keySet());
        }
    }

    /**
     * The broker keeps a tombstone 7 days ({@code delete.retention.ms}): a version is answered while what was written
     * after it is younger than that. Records written "8 days ago" (their timestamps set so) after a version make
     * it gone; a version with nothing older after it, and one that held nothing, are answered.
     */
    @Test
    void aVersionIsGoneOnlyWhenWhatFollowsItIsOlderThanTheTombstoneRetention() throws Exception {
        JsonNode old = json(get("/api/v1/blocklist", VIETTEL_KEY));
        // A partition the partner holds something of (from 0 it holds nothing a lost tombstone could concern).
        String[] offsets = old.get("version").asText().split("\\.");
        int partition = 0;
        while (Long.parseLong(offsets[partition]) == 0) {
            partition++;
        }
        String eightDaysAgo = randomPhone();
        long written = Instant.now().minus(Duration.ofDays(8)).toEpochMilli();
        blocklist.send(new ProducerRecord<>(Topics.BLOCKLIST, partition, written, eightDaysAgo, entry(eightDaysAgo)))
                .get();
        blocklist.send(new ProducerRecord<String, BlocklistEntry>(Topics.BLOCKLIST, partition, written,
                randomPhone(), null)).get(); // a lifting then, whose tombstone the broker may have cleaned since
        // A partner's version is taken after records of its own time: one written now follows the old ones in
        // their partition (other tests share the topic, so what else follows them there is not this test's).
        String current = randomPhone();
        blocklist.send(new ProducerRecord<>(Topics.BLOCKLIST, partition, current, entry(current))).get();
        Eventually.await("the old records were read", Duration.ofSeconds(60),
                () -> indicators(json(get("/api/v1/blocklist", VIETTEL_KEY)).get("entries")).containsKey(current));
        String recent = json(get("/api/v1/blocklist", VIETTEL_KEY)).get("version").asText();
        String added = randomPhone();
        list(added);
        Eventually.await("the listing was read", Duration.ofSeconds(60),
                () -> indicators(json(get("/api/v1/blocklist", VIETTEL_KEY)).get("entries")).containsKey(added));

        HttpResponse<String> gone = get("/api/v1/blocklist/changes?since=" + old.get("version").asText(),
                VIETTEL_KEY);
        assertThat(gone.statusCode()).as(gone.body()).isEqualTo(410);
        assertThat(json(gone).get("snapshot").asText()).isEqualTo("/api/v1/blocklist");
        HttpResponse<String> answered = get("/api/v1/blocklist/changes?since=" + recent, VIETTEL_KEY);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(answered.body()).contains(added);
        assertThat(get("/api/v1/blocklist/changes?since=0.0.0.0.0.0.0", VIETTEL_KEY).statusCode())
                .as("a partner that held nothing yet").isEqualTo(200);
        assertThat(get("/api/v1/blocklist/changes?since=yesterday", VIETTEL_KEY).statusCode()).isEqualTo(400);
    }

    private static void list(String indicator) throws Exception {
        blocklist.send(new ProducerRecord<>(Topics.BLOCKLIST, indicator, entry(indicator))).get();
    }

    /** A listing an hour old of a canonical key, of the key's kind. */
    static BlocklistEntry entry(String indicator) {
        Instant at = Instant.now().minusSeconds(3600);
        return BlocklistEntry.newBuilder()
                .setIndicator(indicator)
                .setKind(Indicator.parseKey(indicator).map(Indicator::kind).orElseThrow())
                .setStatus(BlocklistStatus.LISTED)
                .setReason("5 người báo cáo, trong đó có \"cuộc gọi\", yêu cầu OTP")
                .setDistinctReporters(5)
                .setWeightedReporters(4.5)
                .setReportCount(6)
                .setProvinces(List.of("thanh-hoa", "ha-noi"))
                .setFirstSeen(at)
                .setLastSeen(at)
                .setListedAt(at)
                .setExpiresAt(at.plus(Duration.ofDays(90)))
                .build();
    }

    private static AllowlistEntry official(String indicator, IndicatorKind kind, boolean subdomains) {
        return AllowlistEntry.newBuilder().setIndicator(indicator).setKind(kind).setName("Kênh chính thức BHXH")
                .setIncludeSubdomains(subdomains).setSource("test").setAddedAt(Instant.now()).build();
    }

    static String randomPhone() {
        return "tel:+8490" + (1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999));
    }

    /** What a partner recomputes over its copy: SHA-256 of 'indicator|status|listedAt|expiresAt\n', sorted. */
    private static String checksum(Map<String, JsonNode> byIndicator) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (JsonNode entry : new TreeMap<>(byIndicator).values()) {
            String line = entry.get("indicator").asText() + "|" + entry.get("status").asText() + "|"
                    + entry.get("listedAt").asText() + "|"
                    + (entry.get("expiresAt").isNull() ? "" : entry.get("expiresAt").asText()) + "\n";
            sha256.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }

    private static Map<String, JsonNode> indicators(JsonNode entries) {
        Map<String, JsonNode> byIndicator = new TreeMap<>();
        entries.forEach(entry -> byIndicator.put(entry.get("indicator").asText(), entry));
        return byIndicator;
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    private static HttpResponse<String> get(String path, String partnerKey) {
        return get(sink, path, partnerKey);
    }

    /** Every answer, whatever the test expects of it, must keep the sink's OpenAPI document. */
    private static HttpResponse<String> get(AlertSinkService instance, String path, String partnerKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + instance.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (partnerKey != null) {
            request.header("Authorization", "Bearer " + partnerKey);
        }
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + path, e);
        }
        return OpenApiContract.of(AlertSinkService.NAME).check(response);
    }
}
