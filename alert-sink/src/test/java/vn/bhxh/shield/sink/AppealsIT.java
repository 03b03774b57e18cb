package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.schema.IndicatorKind;
import vn.bhxh.shield.schema.ListingReason;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.testkit.SinkUsers;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * Owners' appeals against a real broker: from the public page to the national board, a DELIST decision on the
 * decisions topic, the tombstone (written here as the processor would) off the partner feed, and the owner's
 * status check; what province accounts, topic readers and strangers cannot see; the rate limit.
 */
class AppealsIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PARTNER_KEY = "viettel-appeal-key-1";
    private static final String OFFICIAL = "tel:+842253265616";

    private static KafkaTestCluster cluster;
    private static Topics topics;
    private static Map<String, String> settings;
    private static KafkaProducer<String, BlocklistEntry> blocklist;
    private static AlertSinkService sink;
    private static SinkHttp http;

    @BeforeAll
    static void start() throws Exception {
        cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        topics = new Topics(cluster.registryClient());
        blocklist = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                topics.blocklist().valueSerde().serializer());
        try (KafkaProducer<String, AllowlistEntry> allowlist = new KafkaProducer<>(cluster.producerProps(),
                new StringSerializer(), topics.allowlist().valueSerde().serializer())) {
            allowlist.send(new ProducerRecord<>(Topics.ALLOWLIST, OFFICIAL, AllowlistEntry.newBuilder()
                    .setIndicator(OFFICIAL).setKind(IndicatorKind.PHONE).setName("BHXH Hải Phòng")
                    .setIncludeSubdomains(false).setSource("test").setAddedAt(Instant.now()).build())).get();
        }
        settings = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "SINK_GROUP_ID", "sink-appeals-it-" + System.nanoTime(),
                "SINK_HTTP_PORT", "0",
                "SINK_SESSION_KEY", "appeals-it-session-key",
                "SINK_APPEAL_KEY", appealKey(),
                "SINK_USERS", SinkUsers.hashed("quocgia1:qg-pass-1:national,thanhhoa1:th-pass-1:thanh-hoa"),
                "SINK_PARTNER_KEYS", "viettel:" + PARTNER_KEY,
                // Unlimited for these tests (all from one address); the limit has its own instance below.
                "SINK_APPEALS_PER_HOUR", "360000000"));
        sink = start(settings);
        http = new SinkHttp(sink.port());
    }

    @AfterAll
    static void stop() throws Exception {
        sink.close();
        blocklist.close();
    }

    @Test
    void anAppealGoesFromThePublicPageToTheNationalBoardToATombstoneAndTheOwnerSeesTheOutcome() throws Exception {
        String number = randomNumber();
        String indicator = "tel:+84" + number.substring(1);
        String contact = "chu.so." + System.nanoTime() + "@example.vn";
        String explanation = "Số " + number + " là số bán hàng của tôi từ năm 2016, mã " + System.nanoTime();
        list(indicator, BlocklistStatus.CONFIRMED, ListingReason.POLICE_CONFIRMED);
        Eventually.await("the listing is on the partner feed", WITHIN, () -> feedEntry(indicator).isPresent());
        assertThat(feedEntry(indicator).orElseThrow().get("reasonCode").asText()).isEqualTo("POLICE_CONFIRMED");
        String csv = http.send(http.request("/api/v1/blocklist?format=csv").header("Authorization",
                "Bearer " + PARTNER_KEY).GET()).body();
        assertThat(csv.lines().findFirst().orElseThrow()).as("new column last, old ones where they were")
                .isEqualTo("indicator,display,kind,status,reason,distinctReporters,weightedReporters,reportCount,"
                        + "provinces,firstSeen,lastSeen,listedAt,expiresAt,reasonCode");
        assertThat(csv.lines()).anySatisfy(row -> assertThat(row).startsWith(indicator + ",")
                .endsWith(",POLICE_CONFIRMED"));

        SinkHttp.Session national = http.signIn("quocgia1", "qg-pass-1");
        SinkHttp.Session province = http.signIn("thanhhoa1", "th-pass-1");
        List<String> board = http.stream(AppealReview.API + "/events", national);
        Eventually.await("the national board's live stream is open", WITHIN,
                () -> SinkHttp.joined(board).contains("event: appeals"));

        // The owner, in their own spelling of the number.
        String spelled = "+84 " + number.substring(1, 4) + "." + number.substring(4, 7) + "." + number.substring(7);
        HttpResponse<String> submitted = appeal(spelled, contact, explanation);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        JsonNode receipt = JSON.readTree(submitted.body());
        String appealId = receipt.get("receipt").asText();
        assertThat(appealId).matches("[A-Za-z0-9_-]{22}");
        assertThat(receipt.get("indicator").asText()).isEqualTo(indicator);
        assertThat(status(appealId).get("status").asText()).isEqualTo("OPEN");

        Eventually.await("the appeal is live on the national board", WITHIN,
                () -> SinkHttp.joined(board).contains(appealId));
        JsonNode item = openAppeal(national, appealId).orElseThrow();
        assertThat(item.get("indicator").asText()).isEqualTo(indicator);
        assertThat(item.get("contact").asText()).isEqualTo(contact);
        assertThat(item.get("explanation").asText()).isEqualTo(explanation);
        assertThat(item.get("listing").get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(item.get("listing").get("reasonCode").asText()).isEqualTo("POLICE_CONFIRMED");

        HttpResponse<String> provinceList = http.send(http.request(AppealReview.API, province).GET());
        assertThat(provinceList.statusCode()).as("a province account").isEqualTo(403);
        assertThat(provinceList.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(provinceList.body()).doesNotContain(appealId, contact);
        assertThat(http.send(http.request(AppealReview.API + "/events", province).header("Accept", "text/event-stream")
                .GET()).statusCode()).as("a province account's live stream").isEqualTo(403);
        assertThat(decide(province, appealId, "DELIST", "Tỉnh muốn gỡ", province.csrf()).statusCode())
                .as("a province account deciding").isEqualTo(403);
        assertThat(http.send(http.request(AppealReview.API).GET()).statusCode()).as("nobody signed in").isEqualTo(401);
        assertThat(decide(national, appealId, "DELIST", "Đã xác minh", null).statusCode()).as("no CSRF token")
                .isEqualTo(403);
        assertThat(decide(national, appealId, "DELIST", "", national.csrf()).statusCode()).as("no reason")
                .isEqualTo(400);

        List<String> onTopic = rawRecords(Topics.APPEALS);
        assertThat(onTopic).as("the appeal is on its topic").anyMatch(record -> record.contains(appealId));
        assertThat(onTopic).as("the appellant's contact and explanation, sealed")
                .noneMatch(record -> record.contains(contact) || record.contains("bán hàng"));

        String reason = "Đã gọi lại chủ thuê bao, xác minh là cửa hàng " + System.nanoTime();
        HttpResponse<String> decided = decide(national, appealId, "DELIST", reason, national.csrf());
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(202);
        assertThat(decide(national, appealId, "KEEP", "Giữ lại thì sao", national.csrf()).statusCode())
                .as("decided twice").isEqualTo(409);

        Decision decision = decisionFor(appealId);
        assertThat(decision.getAction()).isEqualTo(DecisionAction.DELIST);
        assertThat(decision.getIndicator()).isEqualTo(indicator);
        assertThat(decision.getActor()).isEqualTo("quocgia1");
        assertThat(decision.getReason()).isEqualTo(reason);
        assertThat(openAppeal(national, appealId)).as("a decided appeal leaves the board").isEmpty();
        Eventually.await("the board's live stream drops it", WITHIN, () -> {
            String live = SinkHttp.joined(board);
            return !live.substring(live.lastIndexOf("event: appeals")).contains(appealId);
        });

        // What the processor does on a DELIST: the tombstone.
        blocklist.send(new ProducerRecord<>(Topics.BLOCKLIST, indicator, null)).get();
        Eventually.await("the tombstone takes it off the partner feed", WITHIN, () -> feedEntry(indicator).isEmpty());

        JsonNode outcome = status(appealId);
        assertThat(outcome.get("status").asText()).isEqualTo("DELISTED");
        assertThat(outcome.get("reason").asText()).isEqualTo(reason);
        assertThat(outcome.get("statusText").asText()).contains("Đã gỡ");
        assertThat(outcome.toString()).as("the owner never sees the officer").doesNotContain("quocgia1");
        List<String> metrics = http.send(http.request("/metrics").GET()).body().lines().toList();
        assertThat(metrics).anySatisfy(line -> assertThat(line).startsWith("bhxh_sink_appeals_total{")
                .contains("status=\"201\""));
        assertThat(metrics).anySatisfy(line -> assertThat(line).startsWith("bhxh_sink_appeal_decisions_total{")
                .contains("action=\"DELIST\""));
        assertThat(metrics).anySatisfy(line -> assertThat(line).startsWith("bhxh_sink_open_appeals"));
    }

    @Test
    void keepingAListingTellsTheOwnerWhyAndWritesAKeepDecision() throws Exception {
        String indicator = "tel:+84" + randomNumber().substring(1);
        list(indicator, BlocklistStatus.LISTED, ListingReason.OFFICER_CONFIRMED);
        Eventually.await("the listing is on the partner feed", WITHIN, () -> feedEntry(indicator).isPresent());
        HttpResponse<String> submitted = appeal(indicator.substring(4), "0912 345 678",
                "Tôi là chủ thuê bao, chưa từng gọi cho ai tự xưng BHXH.");
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        String appealId = JSON.readTree(submitted.body()).get("receipt").asText();
        SinkHttp.Session national = http.signIn("quocgia1", "qg-pass-1");
        Eventually.await("the appeal is on the board", WITHIN, () -> openAppeal(national, appealId).isPresent());
        assertThat(openAppeal(national, appealId).orElseThrow().get("contact").asText()).isEqualTo("+84912345678");

        assertThat(decide(national, appealId, "KEEP", "Có 12 phản ánh độc lập trong tuần.", national.csrf())
                .statusCode()).isEqualTo(202);
        assertThat(decisionFor(appealId).getAction()).isEqualTo(DecisionAction.KEEP);
        Eventually.await("the owner sees it kept", WITHIN, () -> status(appealId).get("status").asText().equals("KEPT"));
        assertThat(status(appealId).get("reason").asText()).isEqualTo("Có 12 phản ánh độc lập trong tuần.");
        assertThat(feedEntry(indicator)).as("still listed").isPresent();
    }

    @Test
    void anythingNotListedNowGetsOneNeutralAnswerAndBadInputIsNamedField() throws Exception {
        String official = "tel:+842253265616";
        list(official, BlocklistStatus.LISTED, ListingReason.CROWD_AUTO_LISTED); // held back by the sink's guard
        String neverSeen = randomNumber();
        String marker = "tel:+84" + randomNumber().substring(1);
        list(marker, BlocklistStatus.LISTED, ListingReason.CROWD_AUTO_LISTED);
        Eventually.await("the sink read both listings", WITHIN, () -> feedEntry(marker).isPresent());
        assertThat(feedEntry(official)).isEmpty();

        HttpResponse<String> unknown = appeal(neverSeen, "0912345678", "Số của tôi, tôi không làm gì sai cả.");
        HttpResponse<String> guarded = appeal("0225 326 5616", "0912345678", "Số của tôi, tôi không làm gì sai cả.");
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(unknown.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(guarded.statusCode()).isEqualTo(422);
        assertThat(guarded.body()).as("the same sentence whatever is known").isEqualTo(unknown.body());
        assertThat(JSON.readTree(unknown.body()).get("errors").get(0).get("field").asText()).isEqualTo("indicator");

        HttpResponse<String> invalid = appeal("0904 03", "không có", "ngắn");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(invalid.body());
        assertThat(problem.get("detail").asText()).isEqualTo("Thông tin chưa hợp lệ, xem từng mục.");
        assertThat(problem.get("errors").findValuesAsText("field")).containsExactly("indicator", "contact", "explanation");

        String form = "indicator=" + neverSeen + "&contact=0912345678&explanation=abc";
        assertThat(http.send(http.request("/api/v1/appeals").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))).statusCode()).as("a cross-site form can send this")
                .isEqualTo(415);
        assertThat(http.postJson("/api/v1/appeals", "{}", null, "Sec-Fetch-Site", "cross-site").statusCode())
                .isEqualTo(403);
        assertThat(http.postJson("/api/v1/appeals", "not json", null).statusCode()).isEqualTo(400);

        HttpResponse<String> noReceipt = http.send(http.request("/api/v1/appeals/AAAAAAAAAAAAAAAAAAAAAA").GET());
        assertThat(noReceipt.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(noReceipt.body()).get("detail").asText()).contains("Không tìm thấy");
        assertThat(http.send(http.request("/khieu-nai").GET()).body()).contains("Gửi đề nghị", "Tra cứu kết quả");
    }

    @Test
    void aClientThatKeepsAppealingIsToldToWaitInVietnamese() throws Exception {
        Map<String, String> limited = new HashMap<>(settings);
        limited.put("SINK_APPEALS_PER_HOUR", "2");
        try (AlertSinkService other = start(limited)) {
            SinkHttp client = new SinkHttp(other.port());
            String body = "{\"indicator\":\"" + randomNumber() + "\",\"contact\":\"0912345678\","
                    + "\"explanation\":\"Số của tôi, tôi không làm gì sai cả.\"}";
            assertThat(client.postJson("/api/v1/appeals", body, null).statusCode()).as("the first").isEqualTo(422);
            HttpResponse<String> refused = client.postJson("/api/v1/appeals", body, null);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1800");
            assertThat(refused.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/problem+json");
            assertThat(JSON.readTree(refused.body()).get("detail").asText())
                    .isEqualTo("Bạn vừa gửi yêu cầu. Vui lòng thử lại sau 30 phút.");
            assertThat(client.postJson("/api/v1/appeals", "{\"indicator\":\"\"}", null).statusCode())
                    .as("a form with mistakes is answered, not counted").isEqualTo(400);
        }
    }

    static HttpResponse<String> appeal(String indicator, String contact, String explanation) throws Exception {
        return http.postJson("/api/v1/appeals", JSON.writeValueAsString(Map.of("indicator", indicator,
                "contact", contact, "explanation", explanation)), null);
    }

    private static HttpResponse<String> decide(SinkHttp.Session session, String appealId, String action, String reason,
                                               String csrf) {
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("action", action, "reason", reason));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return csrf == null ? http.postJson(AppealReview.API + "/" + appealId + "/decision", body, session)
                : http.postJson(AppealReview.API + "/" + appealId + "/decision", body, session, "X-CSRF-Token", csrf);
    }

    private static JsonNode status(String appealId) {
        HttpResponse<String> response = http.send(http.request("/api/v1/appeals/" + appealId).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Optional<JsonNode> openAppeal(SinkHttp.Session national, String appealId) {
        try {
            JsonNode items = JSON.readTree(http.send(http.request(AppealReview.API, national).GET()).body());
            for (JsonNode item : items) {
                if (item.get("appealId").asText().equals(appealId)) {
                    return Optional.of(item);
                }
            }
            return Optional.empty();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Optional<JsonNode> feedEntry(String indicator) {
        try {
            JsonNode feed = JSON.readTree(http.send(http.request("/api/v1/blocklist")
                    .header("Authorization", "Bearer " + PARTNER_KEY).GET()).body());
            for (JsonNode entry : feed.path("entries")) {
                if (entry.get("indicator").asText().equals(indicator)) {
                    return Optional.of(entry);
                }
            }
            return Optional.empty();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Decision decodedOrNull(String topic, byte[] value) {
        try {
            return topics.decisions().valueSerde().deserializer().deserialize(topic, value);
        } catch (org.apache.kafka.common.errors.SerializationException e) {
            return null;
        }
    }

    private static Decision decisionFor(String appealId) {
        List<Decision> found = new ArrayList<>();
        Eventually.await("a decision with the appeal's id is on " + Topics.DECISIONS, WITHIN, () -> {
            found.clear();
            read(Topics.DECISIONS).forEach(record -> {
                // Other tests on this broker write garbage to the topic on purpose: not this test's decisions.
                Decision decision = decodedOrNull(record.topic(), record.value());
                if (decision != null && appealId.equals(decision.getAppealId())) {
                    found.add(decision);
                }
            });
            return !found.isEmpty();
        });
        return found.get(0);
    }

    /** Every record's value as ISO-8859-1 text, so any UTF-8 string in it is found as is. */
    private static List<String> rawRecords(String topic) {
        return read(topic).stream().map(r -> new String(r.value(), StandardCharsets.ISO_8859_1)).toList();
    }

    private static List<ConsumerRecord<String, byte[]>> read(String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                cluster.bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
            int partitions = consumer.partitionsFor(topic).size();
            List<TopicPartition> all = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> ends = consumer.endOffsets(all);
            while (all.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (record.value() != null) {
                        records.add(record);
                    }
                });
            }
        }
        return records;
    }

    private static void list(String indicator, BlocklistStatus status, ListingReason reason) throws Exception {
        Instant at = Instant.now().minusSeconds(3600);
        blocklist.send(new ProducerRecord<>(Topics.BLOCKLIST, indicator, BlocklistEntry.newBuilder()
                .setIndicator(indicator).setKind(IndicatorKind.PHONE).setStatus(status)
                .setReason("Cơ quan công an xác nhận là số lừa đảo.").setReasonCode(reason)
                .setDistinctReporters(3).setWeightedReporters(3).setReportCount(3)
                .setProvinces(List.of("thanh-hoa")).setFirstSeen(at).setLastSeen(at).setListedAt(at)
                .setExpiresAt(at.plus(Duration.ofDays(365))).build())).get();
    }

    private static AlertSinkService start(Map<String, String> values) {
        AlertSinkService started = AlertSinkService.start(Settings.of(values));
        ServiceProbe.awaitHealthy(started.port(), WITHIN);
        return started;
    }

    private static String randomNumber() {
        return "090" + (1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999));
    }

    static String appealKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
