package vn.bhxh.shield.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static vn.bhxh.shield.ingest.IngestFixture.OPERATOR;
import static vn.bhxh.shield.ingest.IngestFixture.json;
import static vn.bhxh.shield.ingest.IngestFixture.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;

class ReportsApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * When the contact in {@link #report} happened: two hours ago, never a fixed date. The indicator records carry
     * it as their Kafka timestamp, and bhxh.indicator-events.v1 keeps records 90 days counted from that timestamp:
     * records of a contact older than that are deleted by the broker's first retention check (30 s after it
     * starts), and a test reading them finds a report without its indicator records.
     */
    static final OffsetDateTime OCCURRED_AT = OffsetDateTime.now(ZoneOffset.ofHours(7)).minusHours(2)
            .truncatedTo(ChronoUnit.SECONDS);
    private static IngestService ingest;

    @BeforeAll
    static void start() {
        ingest = IngestFixture.startHealthy();
    }

    @AfterAll
    static void stop() {
        ingest.close();
    }

    static String report(String reference, String reporterId, String phone) {
        return """
                {"channel":"HOTLINE","reporterId":"%s","province":"thanh hoa","contactMethod":"CALL",
                 "phoneNumbers":["%s"],"urls":["hxxp://baohiemxahoi-vn[.]com/cap-nhat"],"accounts":[],
                 "requested":["OTP"],"amountLostVnd":0,"notes":"Gọi nói cập nhật thẻ BHYT",
                 "occurredAt":"%s","sourceReference":"%s"}
                """.formatted(reporterId, phone, OCCURRED_AT.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                reference);
    }

    @Test
    void acceptsAReportOnlyOnceKafkaHasItAndPseudonymisesTheReporter() throws Exception {
        String reference = "call-" + UUID.randomUUID();
        var response = post(ingest.port(), "/api/v1/reports", report(reference, "0912 345 678", "0904.038.115"),
                json(OPERATOR));

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode receipt = JSON.readTree(response.body());
        assertThat(receipt.get("indicators").toString())
                .contains("tel:+84904038115", "domain:baohiemxahoi-vn.com");
        List<Report> written = IngestFixture.committedReports(KafkaTestCluster.shared(),
                r -> reference.equals(r.getSourceReference()));
        assertThat(written).singleElement().satisfies(report -> {
            assertThat(report.getReportId()).isEqualTo(receipt.get("reportId").asText());
            assertThat(report.getChannel()).isEqualTo(Channel.HOTLINE);
            assertThat(report.getProvince()).isEqualTo("thanh-hoa");
            assertThat(report.getSubmittedBy()).isEqualTo("hotline-dev");
            assertThat(report.getReporterPseudonym()).matches("[0-9a-f]{64}");
            assertThat(report.toString()).doesNotContain("0912", "912345678");
        });
        // In the same transaction: one record per canonical indicator, keyed by it, stamped with the event time,
        // carrying what the rules need of the report and, as coIndicators, its other indicators (a campaign's links).
        Report report = written.get(0);
        var events = IngestFixture.committedIndicatorEvents(KafkaTestCluster.shared(),
                event -> report.getReportId().equals(event.getReportId()));
        assertThat(events).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("tel:+84904038115", "domain:baohiemxahoi-vn.com");
        assertThat(events).allSatisfy(record -> {
            assertThat(record.value().getIndicator()).isEqualTo(record.key());
            assertThat(record.timestamp()).isEqualTo(OCCURRED_AT.toInstant().toEpochMilli());
            assertThat(record.value().getReporterPseudonym()).isEqualTo(report.getReporterPseudonym());
            assertThat(record.value().getNotes()).isEqualTo(report.getNotes());
            assertThat(record.value().getSourceReference()).isEqualTo(reference);
            assertThat(record.value().getCorrelationId()).isEqualTo(report.getCorrelationId());
        });
        assertThat(events).extracting(ConsumerRecord::key, record -> record.value().getCoIndicators())
                .containsExactlyInAnyOrder(tuple("tel:+84904038115", List.of("domain:baohiemxahoi-vn.com")),
                        tuple("domain:baohiemxahoi-vn.com", List.of("tel:+84904038115")));
    }

    @Test
    void theSameCitizenWrittenTwoWaysIsOneReporter() {
        String first = "call-" + UUID.randomUUID();
        String second = "call-" + UUID.randomUUID();
        assertThat(post(ingest.port(), "/api/v1/reports", report(first, "0912 345 678", "0904038115"), json(OPERATOR))
                .statusCode()).isEqualTo(202);
        assertThat(post(ingest.port(), "/api/v1/reports", report(second, "+84912345678", "0904038115"), json(OPERATOR))
                .statusCode()).isEqualTo(202);
        var reports = IngestFixture.committedReports(KafkaTestCluster.shared(),
                r -> first.equals(r.getSourceReference()) || second.equals(r.getSourceReference()));
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0).getReporterPseudonym()).isEqualTo(reports.get(1).getReporterPseudonym());
    }

    @Test
    void listsEveryFieldErrorInVietnamese() throws Exception {
        String body = """
                {"channel":"HOTLINE","reporterId":"","province":"Atlantis","phoneNumbers":["0904.038.11","0994311220"],
                 "urls":["not a link"],"amountLostVnd":-5}
                """;
        var response = post(ingest.port(), "/api/v1/reports", body, json(OPERATOR));

        assertThat(response.statusCode()).isEqualTo(400);
        Map<String, String> codes = new HashMap<>();
        JSON.readTree(response.body()).get("errors").forEach(e -> codes.put(e.get("field").asText(), e.get("code").asText()));
        assertThat(codes).containsEntry("reporterId", "REQUIRED")
                .containsEntry("province", "UNKNOWN_PROVINCE")
                .containsEntry("phoneNumbers[0]", "TOO_SHORT")
                .containsEntry("amountLostVnd", "NEGATIVE_AMOUNT")
                .containsKey("urls[0]")
                .doesNotContainKey("phoneNumbers[1]");
        assertThat(response.body()).contains("Số điện thoại 0904.038.11 không hợp lệ");
    }

    @Test
    void aNumberInTheNotesIsOfferedNeverAddedAndThePublishedNotesAreRedacted() throws Exception {
        String notesOnly = """
                {"channel":"HOTLINE","reporterId":"0912345678","province":"Bình Dương",
                 "notes":"số gọi đến 0936.417.600, số của tôi 0981112223"}
                """;
        var rejected = post(ingest.port(), "/api/v1/reports", notesOnly, json(OPERATOR));
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(rejected.body()).contains("NO_IDENTIFIER", "Thêm");

        var offered = JSON.readTree(post(ingest.port(), "/api/v1/validate", notesOnly, json(OPERATOR)).body());
        assertThat(offered.get("notAdded")).hasSize(2);
        assertThat(offered.get("notAdded").get(0).get("key").asText()).isEqualTo("tel:+84936417600");
        assertThat(offered.get("notAdded").get(0).get("field").asText()).isEqualTo("phoneNumbers");
        assertThat(offered.get("notAdded").get(0).get("writersOwn").asBoolean()).isFalse();
        assertThat(offered.get("notAdded").get(1).get("key").asText()).isEqualTo("tel:+84981112223");
        assertThat(offered.get("notAdded").get(1).get("writersOwn").asBoolean()).isTrue();

        String reference = "call-" + UUID.randomUUID();
        String added = """
                {"channel":"HOTLINE","reporterId":"0912345678","province":"Bình Dương","phoneNumbers":["0936417600"],
                 "notes":"Tôi tên là Nguyễn Văn An, CCCD 038190012345, số gọi đến 0936.417.600, số của tôi 0981112223",
                 "sourceReference":"%s"}
                """.formatted(reference);
        var accepted = post(ingest.port(), "/api/v1/reports", added, json(OPERATOR));
        assertThat(accepted.statusCode()).isEqualTo(202);
        JsonNode receipt = JSON.readTree(accepted.body());
        assertThat(receipt.get("indicators").toString()).isEqualTo("[\"tel:+84936417600\"]");
        assertThat(receipt.get("notAddedFromNotes").toString()).isEqualTo("[{\"kind\":\"PHONE\",\"writersOwn\":true}]");
        assertThat(IngestFixture.committedReports(KafkaTestCluster.shared(), r -> reference.equals(r.getSourceReference())))
                .singleElement().satisfies(report -> {
                    assertThat(report.getPhoneNumbers()).containsExactly("0936417600");
                    assertThat(report.getNotes()).isEqualTo(
                            "Tôi tên là [đã ẩn], CCCD [đã ẩn], số gọi đến 0936.417.600, số của tôi [đã ẩn]");
                });
    }

    @Test
    void theReportersOwnNumberIsRefusedAsAnIndicator() {
        String own = """
                {"channel":"HOTLINE","reporterId":"0912 345 678","province":"ha-noi","phoneNumbers":["+84912345678"]}
                """;
        var response = post(ingest.port(), "/api/v1/reports", own, json(OPERATOR));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"phoneNumbers[0]\"", "REPORTERS_OWN_NUMBER");
    }

    @Test
    void malformedJsonAndUnknownFieldsAreFieldErrors() {
        var malformed = post(ingest.port(), "/api/v1/reports", "{\"channel\":", json(OPERATOR));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("MALFORMED_JSON");
        var unknown = post(ingest.port(), "/api/v1/reports", "{\"phonenumbers\":[]}", json(OPERATOR));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("\"field\":\"phonenumbers\"", "UNKNOWN_FIELD");
    }

    @Test
    void refusesCallersWithoutAValidTokenOrTheRightRole() {
        String body = report("x", "0912345678", "0904038115");
        var missing = post(ingest.port(), "/api/v1/reports", body, json(null));
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(post(ingest.port(), "/api/v1/reports", body, json("Bearer not-a-token")).statusCode()).isEqualTo(401);
        assertThat(post(ingest.port(), "/api/v1/reports", body, json(IngestFixture.FANPAGE)).statusCode()).isEqualTo(403);
        var wrongChannel = post(ingest.port(), "/api/v1/reports", body, json(IngestFixture.POLICE));
        assertThat(wrongChannel.statusCode()).isEqualTo(403);
        assertThat(wrongChannel.body()).contains("CHANNEL_NOT_ALLOWED");
    }

    @Test
    void refusesOversizedBodies() {
        String notes = "x".repeat(70 * 1024);
        var response = post(ingest.port(), "/api/v1/reports",
                "{\"channel\":\"HOTLINE\",\"notes\":\"" + notes + "\"}", json(OPERATOR));
        assertThat(response.statusCode()).isEqualTo(413);
        var huge = post(ingest.port(), "/api/v1/reports", "x".repeat(2 * 1024 * 1024), json(OPERATOR));
        assertThat(huge.statusCode()).isEqualTo(413);
    }

    @Test
    void countsOutcomesAndProduceLatency() {
        post(ingest.port(), "/api/v1/reports", report("m-" + UUID.randomUUID(), "0912345678", "0904038115"),
                json(OPERATOR));
        post(ingest.port(), "/api/v1/reports", "{}", json(OPERATOR));
        assertThat(ServiceProbe.metric(ingest.port(), "ingest_requests_total{endpoint=\"reports\",outcome=\"accepted\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(ServiceProbe.metric(ingest.port(), "ingest_requests_total{endpoint=\"reports\",outcome=\"rejected\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(ServiceProbe.metric(ingest.port(), "ingest_produce_latency_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(ServiceProbe.get(ingest.port(), "/metrics").body()).contains("kafka_producer_");
    }
}
