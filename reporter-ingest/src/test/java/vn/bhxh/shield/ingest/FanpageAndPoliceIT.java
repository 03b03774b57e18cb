package vn.bhxh.shield.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static vn.bhxh.shield.ingest.IngestFixture.get;
import static vn.bhxh.shield.ingest.IngestFixture.json;
import static vn.bhxh.shield.ingest.IngestFixture.post;
import static vn.bhxh.shield.ingest.IngestFixture.signed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.CorrelationId;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.testkit.KafkaTestCluster;

class FanpageAndPoliceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP_SECRET = IngestSettings.DEVELOPMENT.get(IngestSettings.FANPAGE_APP_SECRET);
    /**
     * When the messages and comments were written: a few minutes ago, never a fixed date. It becomes the report's
     * occurredAt and so its indicator records' Kafka timestamp, and bhxh.indicator-events.v1 keeps 90 days counted
     * from that timestamp: records written "in 2023" are deleted by the broker's first retention check.
     */
    private static final Instant WRITTEN = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(5));
    /** How the Graph API writes a time: {@code 2026-12-05T08:00:00+0000}. */
    private static final DateTimeFormatter GRAPH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx")
            .withZone(ZoneOffset.UTC);
    private static IngestService ingest;

    @BeforeAll
    static void start() {
        ingest = IngestFixture.startHealthy();
    }

    @AfterAll
    static void stop() {
        ingest.close();
    }

    private static String messengerPayload(String mid, String senderId, String text) {
        return """
                {"object":"page","entry":[{"id":"1","time":%d,"messaging":[
                  {"sender":{"id":"%s"},"recipient":{"id":"1"},"timestamp":%d,
                   "message":{"mid":"%s","text":"%s"}}]}]}
                """.formatted(WRITTEN.toEpochMilli(), senderId, WRITTEN.toEpochMilli(), mid, text);
    }

    @Test
    void answersFacebooksHandshakeOnlyWithTheVerifyToken() {
        String verify = IngestSettings.DEVELOPMENT.get(IngestSettings.FANPAGE_VERIFY_TOKEN);
        var ok = get(ingest.port(), "/api/v1/fanpage/webhook?hub.mode=subscribe&hub.verify_token=" + verify
                + "&hub.challenge=1158201444", Map.of());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("1158201444");
        assertThat(get(ingest.port(), "/api/v1/fanpage/webhook?hub.mode=subscribe&hub.verify_token=wrong"
                + "&hub.challenge=1", Map.of()).statusCode()).isEqualTo(403);
    }

    @Test
    void recordsEachSignedMessageOnceWithTheIdentifiersOfItsText() throws Exception {
        String mid = "m_" + UUID.randomUUID();
        String body = messengerPayload(mid, "6543210987", "Có người gọi số 0994 311 201 bảo cài VssID");
        var first = post(ingest.port(), "/api/v1/fanpage/webhook", body, signed(body, APP_SECRET));
        var redelivered = post(ingest.port(), "/api/v1/fanpage/webhook", body, signed(body, APP_SECRET));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(first.body()).get("recorded").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(redelivered.body()).get("recorded").asInt()).isZero();
        assertThat(IngestFixture.committedReports(KafkaTestCluster.shared(), r -> mid.equals(r.getSourceReference())))
                .singleElement().satisfies(report -> {
                    assertThat(report.getChannel()).isEqualTo(Channel.FANPAGE);
                    assertThat(report.getPhoneNumbers()).containsExactly("+84994311201");
                    assertThat(report.getProvince()).isNull();
                    assertThat(report.getSubmittedBy()).isEqualTo("fanpage:1");
                    assertThat(report.getReporterPseudonym()).matches("[0-9a-f]{64}").doesNotContain("6543210987");
                    // Facebook sends no request id: the webhook call gets one of its own, answered and recorded.
                    assertThat(first.headers().firstValue(CorrelationId.HTTP_HEADER))
                            .contains(report.getCorrelationId());
                });
        assertThat(IngestFixture.committedIndicatorEvents(KafkaTestCluster.shared(),
                        event -> mid.equals(event.getSourceReference())))
                .as("recorded once, with its one indicator record").singleElement()
                .satisfies(record -> assertThat(record.key()).isEqualTo("tel:+84994311201"));
    }

    @Test
    void aMessageWithoutIdIsRecordedOnceUnderTheSendersPseudonymNeverItsId() throws Exception {
        String sender = Long.toString(7_000_000_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000_000_000L));
        long timestamp = System.currentTimeMillis();
        String body = """
                {"object":"page","entry":[{"id":"1","time":%d,"messaging":[
                  {"sender":{"id":"%s"},"recipient":{"id":"1"},"timestamp":%d,"message":{"text":"Số 0994 311 201"}}]}]}
                """.formatted(timestamp, sender, timestamp);
        var first = post(ingest.port(), "/api/v1/fanpage/webhook", body, signed(body, APP_SECRET));
        var redelivered = post(ingest.port(), "/api/v1/fanpage/webhook", body, signed(body, APP_SECRET));

        assertThat(JSON.readTree(first.body()).get("recorded").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(redelivered.body()).get("recorded").asInt()).isZero();
        assertThat(IngestFixture.committedReports(KafkaTestCluster.shared(), r -> r.getSourceReference() != null
                && r.getSourceReference().endsWith(":" + timestamp))).singleElement().satisfies(report -> {
                    assertThat(report.getSourceReference()).isEqualTo(report.getReporterPseudonym() + ":" + timestamp);
                    assertThat(report.toString()).doesNotContain(sender);
                });
    }

    @Test
    void theWritersOwnNumberIsNoIndicatorAndEachPageIsItsOwnSubmittingAccount() throws Exception {
        String mid = "m_" + UUID.randomUUID();
        String body = """
                {"object":"page","entry":[{"id":"105000000000001","time":%d,"messaging":[
                  {"sender":{"id":"42"},"recipient":{"id":"105000000000001"},"timestamp":%d,
                   "message":{"mid":"%s","text":"Em tên là Lê Thị Hoa, số 0904.038.115 gọi bảo cập nhật VssID, sđt của em 0981 112 223, mail hoa@gmail.com"}}]}]}
                """.formatted(WRITTEN.toEpochMilli(), WRITTEN.toEpochMilli(), mid);
        assertThat(post(ingest.port(), "/api/v1/fanpage/webhook", body, signed(body, APP_SECRET)).statusCode())
                .isEqualTo(200);
        assertThat(IngestFixture.committedReports(KafkaTestCluster.shared(), r -> mid.equals(r.getSourceReference())))
                .singleElement().satisfies(report -> {
                    assertThat(report.getPhoneNumbers()).containsExactly("+84904038115");
                    assertThat(report.getSubmittedBy()).isEqualTo("fanpage:105000000000001");
                    assertThat(report.getNotes()).isEqualTo("Em tên là [đã ẩn], số 0904.038.115 gọi bảo cập nhật "
                            + "VssID, sđt của em [đã ẩn], mail [đã ẩn]");
                });
    }

    @Test
    void aMessageWithoutIdentifiersIsStillRecorded() throws Exception {
        String mid = "m_" + UUID.randomUUID();
        String body = messengerPayload(mid, "42", "Tôi bị lừa, giúp tôi với");
        var response = post(ingest.port(), "/api/v1/fanpage/webhook", body, signed(body, APP_SECRET));
        assertThat(JSON.readTree(response.body()).get("recorded").asInt()).isEqualTo(1);
    }

    @Test
    void refusesAnUnsignedOrForgedDelivery() {
        String body = messengerPayload("m_x", "42", "0904038115");
        assertThat(post(ingest.port(), "/api/v1/fanpage/webhook", body, json(null)).statusCode()).isEqualTo(401);
        assertThat(post(ingest.port(), "/api/v1/fanpage/webhook", body, signed(body, "not-the-secret")).statusCode())
                .isEqualTo(401);
    }

    /** A {@code feed} change as the Graph API sends it for page {@code 105000000000001}. */
    private static String feedPayload(String item, String verb, String id, String authorId, String text) {
        String idField = "comment".equals(item) ? "\"comment_id\":\"%s\",\"parent_id\":\"105000000000001_900\","
                .formatted(id) : "";
        return """
                {"object":"page","entry":[{"id":"105000000000001","time":%d,"changes":[{"field":"feed",
                  "value":{"from":{"id":"%s","name":"Nguyễn Văn Bình"},
                   "post":{"status_type":"added_photos","is_published":true,"updated_time":"%s",
                    "permalink_url":"https://www.facebook.com/baohiemxahoi/posts/900","promotion_status":"inactive",
                    "id":"105000000000001_900"},
                   "message":"%s","post_id":"%s",%s"created_time":%d,"item":"%s","verb":"%s"}}]}]}
                """.formatted(WRITTEN.getEpochSecond() + 100, authorId, GRAPH_TIME.format(WRITTEN), text,
                "comment".equals(item) ? "105000000000001_900" : id, idField, WRITTEN.getEpochSecond(), item, verb);
    }

    private static int recorded(String body) throws Exception {
        var response = post(ingest.port(), "/api/v1/fanpage/webhook", body, signed(body, APP_SECRET));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("recorded").asInt();
    }

    @Test
    void aCommentUnderThePagesPostIsAReportOncePerCommentIdWithItsIndicatorAndNoAuthor() throws Exception {
        String commentId = "900_" + UUID.randomUUID();
        String author = "7" + ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999L);
        String body = feedPayload("comment", "add", commentId, author,
                "Số 0936 417 600 cũng gọi mẹ tôi, bảo cài lại VssID");

        assertThat(recorded(body)).isEqualTo(1);
        assertThat(recorded(body)).as("Facebook re-delivers").isZero();
        assertThat(IngestFixture.committedReports(KafkaTestCluster.shared(),
                r -> commentId.equals(r.getSourceReference()))).singleElement().satisfies(report -> {
                    assertThat(report.getChannel()).isEqualTo(Channel.FANPAGE);
                    assertThat(report.getPhoneNumbers()).containsExactly("+84936417600");
                    assertThat(report.getSubmittedBy()).isEqualTo("fanpage:105000000000001");
                    assertThat(report.getOccurredAt()).isEqualTo(WRITTEN);
                    assertThat(report.getReporterPseudonym()).matches("[0-9a-f]{64}");
                    assertThat(report.toString()).doesNotContain(author, "Nguyễn Văn Bình");
                });
        assertThat(IngestFixture.committedIndicatorEvents(KafkaTestCluster.shared(),
                        event -> commentId.equals(event.getSourceReference())))
                .singleElement().satisfies(record -> assertThat(record.key()).isEqualTo("tel:+84936417600"));
    }

    @Test
    void editsCountOnlyWhenTheCommentWasNotRecordedAndNeitherRemovalsNorThePagesOwnPostsAreReports()
            throws Exception {
        String author = "7" + ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999L);
        String recordedFirst = "900_" + UUID.randomUUID();
        assertThat(recorded(feedPayload("comment", "add", recordedFirst, author, "Số 0936 417 600 lừa đảo")))
                .isEqualTo(1);
        assertThat(recorded(feedPayload("comment", "edited", recordedFirst, author,
                "Số 0936 417 600 và 0904 038 115"))).as("the first text counted").isZero();
        String addMissed = "900_" + UUID.randomUUID();
        assertThat(recorded(feedPayload("comment", "edited", addMissed, author, "Số 0904 038 115 gọi tôi")))
                .as("an edit of a comment never recorded").isEqualTo(1);
        String removed = "900_" + UUID.randomUUID();
        assertThat(recorded(feedPayload("comment", "remove", removed, author, "Số 0904 038 115"))).isZero();
        assertThat(recorded(feedPayload("comment", "hide", removed, author, "Số 0904 038 115"))).isZero();
        String pagesWarning = "105000000000001_" + UUID.randomUUID();
        assertThat(recorded(feedPayload("status", "add", pagesWarning, "105000000000001",
                "Cảnh báo: số 0936 417 600 giả danh BHXH, không cung cấp OTP"))).as("the office's own post").isZero();
        String visitorsPost = "105000000000001_" + UUID.randomUUID();
        assertThat(recorded(feedPayload("status", "add", visitorsPost, author,
                "Số 0904 038 115 tự xưng cán bộ BHXH"))).isEqualTo(1);
        assertThat(recorded(feedPayload("reaction", "add", "900_" + UUID.randomUUID(), author, "")))
                .as("a reaction says nothing").isZero();

        var written = IngestFixture.committedReports(KafkaTestCluster.shared(),
                r -> List.of(recordedFirst, addMissed, removed, pagesWarning, visitorsPost)
                        .contains(r.getSourceReference()));
        assertThat(written).extracting(r -> r.getSourceReference(), r -> r.getPhoneNumbers().size())
                .containsExactlyInAnyOrder(tuple(recordedFirst, 1), tuple(addMissed, 1), tuple(visitorsPost, 1));
        String forged = feedPayload("comment", "add", "900_" + UUID.randomUUID(), author, "0936417600");
        assertThat(post(ingest.port(), "/api/v1/fanpage/webhook", forged, signed(forged, "not-the-secret"))
                .statusCode()).isEqualTo(401);
    }

    @Test
    void policeCsvGetsAResultPerRowAndTheAcceptedRowsArePublished() throws Exception {
        String caseReference = "VV-" + UUID.randomUUID();
        String csv = "identifier,caseReference,unit,province,notes\n"
                + "0936.417.600," + caseReference + ",PA05 Thanh Hóa,Thanh Hóa,\"lừa cập nhật, VssID\"\n"
                + "12345," + caseReference + ",PA05 Thanh Hóa,Thanh Hóa,\n"
                + "baohiemxahoi-vn.com," + caseReference + ",PA05 Thanh Hóa,Bình Dương,\n";
        Map<String, String> headers = json(IngestFixture.POLICE);
        headers.put("Content-Type", "text/csv; charset=utf-8");
        headers.put(CorrelationId.REQUEST_ID_HEADER, "pa05-" + caseReference);
        var response = post(ingest.port(), "/api/v1/police/referrals", csv, headers);

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode reply = JSON.readTree(response.body());
        assertThat(reply.get("accepted").asInt()).as(response.body()).isEqualTo(2);
        assertThat(reply.get("rows").get(1).get("status").asText()).isEqualTo("REJECTED");
        assertThat(reply.get("rows").get(1).toString()).contains("\"field\":\"identifier\"", "Số điện thoại 12345 không hợp lệ");
        var written = IngestFixture.committedReports(KafkaTestCluster.shared(),
                r -> caseReference.equals(r.getSourceReference()));
        assertThat(written).hasSize(2).allSatisfy(r -> assertThat(r.getChannel()).isEqualTo(Channel.POLICE));
        assertThat(written).extracting(r -> r.getProvince()).containsExactlyInAnyOrder("thanh-hoa", "ho-chi-minh");
        assertThat(written).as("a batch's rows share its request's id").extracting(r -> r.getCorrelationId())
                .containsOnly("pa05-" + caseReference);
        assertThat(response.headers().firstValue(CorrelationId.HTTP_HEADER)).contains("pa05-" + caseReference);
        // Referrals take the same path to the processor as every report: one record per indicator, same transaction.
        assertThat(IngestFixture.committedIndicatorEvents(KafkaTestCluster.shared(),
                        event -> caseReference.equals(event.getSourceReference())))
                .extracting(record -> record.key(), record -> record.value().getChannel())
                .containsExactlyInAnyOrder(tuple("tel:+84936417600", Channel.POLICE),
                        tuple("domain:baohiemxahoi-vn.com", Channel.POLICE));
    }

    @Test
    void policeJsonWithNoAcceptableRowIsRefusedAndOnlyPoliceMaySendIt() {
        String body = "[{\"identifier\":\"hello\",\"caseReference\":\"\",\"unit\":\"A05\",\"province\":\"x\"}]";
        var response = post(ingest.port(), "/api/v1/police/referrals", body, json(IngestFixture.POLICE));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("REJECTED", "caseReference", "UNKNOWN_PROVINCE");
        assertThat(post(ingest.port(), "/api/v1/police/referrals", body, json(IngestFixture.OPERATOR)).statusCode())
                .isEqualTo(403);
    }
}
