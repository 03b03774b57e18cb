package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.bhxh.shield.sink.FakeProcessorLookup.evidence;
import static vn.bhxh.shield.sink.FakeProcessorLookup.linked;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.lookup.IndicatorStatus.Status;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.testkit.JsonLogCapture;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.testkit.SinkUsers;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * Issue #17 items 3 and 4 through the sink's HTTP contract, against a real broker and the processor's lookup over
 * HTTP: a campaign decided in one decision (one Kafka transaction, all or nothing, refused whole outside the
 * officer's authority) and the national board's evidence export for the police.
 */
class CampaignsIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String TRANSACTIONAL_ID = "campaigns-it-" + System.nanoTime();

    private static KafkaTestCluster cluster;
    private static Topics topics;
    private static FakeProcessorLookup processor;
    private static AlertSinkService sink;
    private static SinkHttp http;

    @BeforeAll
    static void start() throws Exception {
        processor = new FakeProcessorLookup();
        cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        topics = new Topics(cluster.registryClient());
        sink = AlertSinkService.start(Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "SINK_GROUP_ID", "sink-campaigns-it-" + System.nanoTime(),
                "SINK_HTTP_PORT", "0",
                "SINK_SESSION_KEY", "campaigns-it-session-key",
                "SINK_TRANSACTIONAL_ID", TRANSACTIONAL_ID,
                "SINK_USERS", SinkUsers.hashed("thanhhoa1:th-pass-1:thanh-hoa,quocgia1:qg-pass-1:national"),
                "PROCESSOR_URL", processor.url())));
        ServiceProbe.awaitHealthy(sink.port(), WITHIN);
        http = new SinkHttp(sink.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (sink != null) {
            sink.close();
        }
        if (processor != null) {
            processor.close();
        }
    }

    @Test
    void aCampaignIsConfirmedInOneTransactionEachDecisionNamingItsCampaign() throws Exception {
        String head = freshNumber();
        String mobile = freshNumber();
        String site = "domain:bhxh-" + ThreadLocalRandom.current().nextInt(1_000_000) + ".com";
        processor.knows(head, Status.PROPOSED, List.of("thanh-hoa"), List.of(linked(mobile, 5), linked(site, 2)));
        processor.knows(mobile, Status.NOT_LISTED, List.of("thanh-hoa"));
        processor.knows(site, Status.NOT_LISTED, List.of("thanh-hoa", "ha-noi"));
        SinkHttp.Session officer = http.signIn("thanhhoa1", "th-pass-1");

        HttpResponse<String> accepted = decide(officer, head, "CONFIRM", "Cùng kịch bản gọi xin OTP", "true");

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode answer = SinkJson.MAPPER.readTree(accepted.body());
        assertThat(answer.get("campaignOf").asText()).isEqualTo(head);
        List<String> ids = new ArrayList<>();
        answer.get("decisions").forEach(d -> ids.add(d.get("decisionId").asText()));
        assertThat(answer.get("decisions")).extracting(d -> d.get("indicator").asText())
                .containsExactly(head, mobile, site);

        // A read_committed reader sees every one of them: committed, together, before the 202.
        List<Decision> written = committedDecisions().stream().filter(d -> ids.contains(d.getDecisionId())).toList();
        assertThat(written).extracting(Decision::getIndicator).containsExactlyInAnyOrder(head, mobile, site);
        Decision first = written.get(0);
        assertThat(written).allSatisfy(decision -> {
            assertThat(decision.getCampaignOf()).isEqualTo(head);
            assertThat(decision.getAction()).isEqualTo(DecisionAction.CONFIRM);
            assertThat(decision.getActor()).isEqualTo("thanhhoa1");
            assertThat(decision.getProvince()).isEqualTo("thanh-hoa");
            assertThat(decision.getReason()).isEqualTo("Cùng kịch bản gọi xin OTP");
            assertThat(decision.getDecidedAt()).isEqualTo(first.getDecidedAt());
        });
        // Written by the sink's transactional producer, in a transaction the broker's coordinator saw committed.
        TransactionDescription transaction = cluster.admin().describeTransactions(List.of(TRANSACTIONAL_ID))
                .description(TRANSACTIONAL_ID).get();
        assertThat(transaction.state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
    }

    @Test
    void aCampaignPartlyOutsideTheOfficersAuthorityIsRefusedWholeThenDecidedAsChosen() throws Exception {
        String head = freshNumber();
        String mine = freshNumber();
        String haNois = freshNumber();
        processor.knows(head, Status.LISTED, List.of("thanh-hoa"), List.of(linked(mine, 3), linked(haNois, 2)));
        processor.knows(mine, Status.LISTED, List.of("thanh-hoa"));
        processor.knows(haNois, Status.LISTED, List.of("ha-noi"));
        SinkHttp.Session officer = http.signIn("thanhhoa1", "th-pass-1");

        HttpResponse<String> refused = decide(officer, head, "DELIST", "Thuê bao đã đổi chủ", "true");

        JsonNode problem = problem(refused, 403, "CAMPAIGN_OUTSIDE_AUTHORITY");
        assertThat(problem.get("detail").asText()).contains(SinkJson.display(haNois), "ở tỉnh của bạn")
                .doesNotContain(SinkJson.display(mine));
        assertThat(committedDecisions()).as("nothing of the refused campaign is written")
                .noneMatch(d -> Set.of(head, mine, haNois).contains(d.getIndicator()));

        HttpResponse<String> chosen = decide(officer, head, "DELIST", "Thuê bao đã đổi chủ",
                "[\"" + SinkJson.display(mine) + "\"]");
        assertThat(chosen.statusCode()).as(chosen.body()).isEqualTo(202);
        assertThat(committedDecisions()).filteredOn(d -> head.equals(d.getCampaignOf()))
                .extracting(Decision::getIndicator).containsExactlyInAnyOrder(head, mine);
    }

    @Test
    void aCampaignIsConfirmedOrDelistedAndOnlyAmongItsLinkedIndicators() throws Exception {
        String head = freshNumber();
        String linked = freshNumber();
        processor.knows(head, Status.PROPOSED, List.of("thanh-hoa"), List.of(linked(linked, 4)));
        SinkHttp.Session national = http.signIn("quocgia1", "qg-pass-1");

        problem(decide(national, head, "REJECT", "nhầm", "true"), 400, "CAMPAIGN_ACTION");
        problem(decide(national, head, "CONFIRM", "giả mạo", "[\"" + freshNumber() + "\"]"), 400, "NOT_LINKED");
        problem(decide(national, head, "CONFIRM", "giả mạo", "\"all\""), 400, "INVALID_CAMPAIGN");
        String unreachable = freshNumber();
        processor.silentAbout(unreachable);
        problem(decide(national, unreachable, "CONFIRM", "giả mạo", "true"), 503, "LOOKUP_UNAVAILABLE");
        assertThat(decide(national, head, "CONFIRM", "giả mạo", "false").statusCode()).as("a single decision")
                .isEqualTo(202);
        assertThat(committedDecisions()).filteredOn(d -> head.equals(d.getIndicator()))
                .extracting(Decision::getCampaignOf).containsExactly((String) null);
    }

    @Test
    void theNationalBoardExportsAnIndicatorsEvidenceWithItsSha256() throws Exception {
        String head = freshNumber();
        processor.knows(head, Status.LISTED, List.of("thanh-hoa"));
        processor.hasEvidence(evidence(head, "=cmd|' /C calc'!A0 gọi tự xưng BHXH"));
        SinkHttp.Session national = http.signIn("quocgia1", "qg-pass-1");

        HttpResponse<String> csv;
        String audit;
        try (JsonLogCapture logs = JsonLogCapture.attach("vn.bhxh.shield.sink.audit")) {
            csv = export(national, head, "csv", false, "&limit=5");
            audit = logs.text();
        }

        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        byte[] bytes = csv.body().getBytes(StandardCharsets.UTF_8);
        assertThat(csv.headers().firstValue("Repr-Digest")).hasValue(EvidenceExport.reprDigest(bytes));
        assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow())
                .matches("attachment; filename=\"bang-chung-tel-" + head.substring(5) + "-\\d{8}-\\d{6}\\.csv\"");
        assertThat(csv.body()).startsWith("\uFEFF\"Chỉ báo\"").contains("\"R-1-" + head + "\"", "\"ps-77\"",
                "\"'=cmd|' /C calc'!A0 gọi tự xưng BHXH\"");
        assertThat(processor.evidenceRequests()).anyMatch(request -> request.endsWith("/evidence?limit=5"));
        // Who exported what, for the audit; nothing of the reports themselves.
        assertThat(audit).contains("evidence export by quocgia1", "subject=" + head, "reports=1", "format=csv",
                "sha256=" + EvidenceExport.sha256Hex(bytes)).doesNotContain("ps-77", "operator-7", "calc");
        assertThat(export(national, head, "csv", false, "").headers().firstValue("Repr-Digest"))
                .as("the same evidence, the same SHA-256").hasValue(EvidenceExport.reprDigest(bytes));
    }

    @Test
    void theNationalBoardExportsACampaignsEvidenceAsJson() throws Exception {
        String head = freshNumber();
        String linked = freshNumber();
        String forgotten = freshNumber();
        processor.knows(head, Status.LISTED, List.of("thanh-hoa"), List.of(linked(linked, 2), linked(forgotten, 1)));
        processor.hasEvidence(evidence(head, "xin OTP"));
        processor.hasEvidence(evidence(linked, "chuyển tiền"));
        SinkHttp.Session national = http.signIn("quocgia1", "qg-pass-1");

        HttpResponse<String> json = export(national, head, "json", true, "");

        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        assertThat(json.headers().firstValue("Repr-Digest"))
                .hasValue(EvidenceExport.reprDigest(json.body().getBytes(StandardCharsets.UTF_8)));
        assertThat(json.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("bang-chung-chien-dich-tel-" + head.substring(5)).endsWith(".json\"");
        JsonNode file = SinkJson.MAPPER.readTree(json.body());
        assertThat(file.get("subject").asText()).isEqualTo(head);
        assertThat(file.get("campaign").asBoolean()).isTrue();
        assertThat(file.get("indicators")).extracting(i -> i.get("indicator").asText())
                .containsExactly(head, linked, forgotten);
        assertThat(file.get("indicators").get(1).get("reports").get(0).get("notes").asText()).isEqualTo("chuyển tiền");
        assertThat(file.get("indicators").get(2).get("truncated").asBoolean())
                .as("the processor keeps nothing of it any more").isTrue();
    }

    @Test
    void onlyTheNationalAccountExportsEvidence() throws Exception {
        String head = freshNumber();
        processor.hasEvidence(evidence(head, "xin OTP"));
        SinkHttp.Session province = http.signIn("thanhhoa1", "th-pass-1");
        SinkHttp.Session national = http.signIn("quocgia1", "qg-pass-1");

        problem(export(province, head, "csv", false, ""), 403, "NATIONAL_ONLY");
        problem(export(null, head, "csv", false, ""), 401, "UNAUTHORIZED");
        problem(export(national, freshNumber(), "csv", false, ""), 404, "NO_REPORTS");
        problem(export(national, head, "xlsx", false, ""), 400, "INVALID_FORMAT");
        problem(export(national, head, "csv", false, "&limit=0"), 400, "INVALID_LIMIT");
        problem(export(national, "12345", "csv", false, ""), 400, "INVALID_INDICATOR");
        String unreachable = freshNumber();
        processor.silentAbout(unreachable);
        problem(export(national, unreachable, "json", false, ""), 503, "LOOKUP_UNAVAILABLE");
    }

    private static HttpResponse<String> decide(SinkHttp.Session session, String indicator, String action,
                                               String reason, String campaignJson) {
        Map<String, Object> body = new HashMap<>(Map.of("indicator", indicator, "action", action, "reason", reason));
        String json = SinkJson.write(body);
        json = json.substring(0, json.length() - 1) + ",\"campaign\":" + campaignJson + "}";
        return http.postJson("/api/v1/decisions", json, session, "X-CSRF-Token", session.csrf());
    }

    private static HttpResponse<String> export(SinkHttp.Session session, String indicator, String format,
                                               boolean campaign, String more) {
        return SinkHttp.send(http.request(EvidenceApi.PATH + "?indicator="
                + URLEncoder.encode(indicator, StandardCharsets.UTF_8) + "&format=" + format
                + (campaign ? "&campaign=true" : "") + more, session).GET());
    }

    private static JsonNode problem(HttpResponse<String> response, int status, String code) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = SinkJson.MAPPER.readTree(response.body());
        assertThat(problem.get("code").asText()).isEqualTo(code);
        return problem;
    }

    /** Every decision a read_committed reader sees on the topic now, from its start. */
    private static List<Decision> committedDecisions() {
        Topic<String, Decision> decisions = topics.decisions();
        List<Decision> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(cluster.consumerProps("campaigns-it-" + System.nanoTime()),
                decisions.keySerde().deserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DECISIONS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = cluster.highWatermarks(partitions);
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("read the decisions topic to its end").isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        seen.add(decisions.valueSerde().deserializer().deserialize(record.topic(), record.value()));
                    } catch (SerializationException e) {
                        // another test's garbage on the shared broker
                    }
                }
            }
        }
        return seen;
    }

    static String freshNumber() {
        return "tel:+8490" + String.format("%07d", ThreadLocalRandom.current().nextInt(10_000_000));
    }
}
