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
                {"object":"page","entry":[{"id":"1","time":1700000000000,"messaging":[
                  {"sender":{"id":"%s"},"recipient":{"id":"1"},"timestamp":1700000000000,
                   "message":{"mid":"%s","text":"%s"}}]}]}
                """.formatted(senderId, mid, text);
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
                {"object":"page","entry":[{"id":"105000000000001","time":1700000000000,"messaging":[
                  {"sender":{"id":"42"},"recipient":{"id":"105000000000001"},"timestamp":1700000000000,
                   "message":{"mid":"%s","text":"Em tên là Lê Thị Hoa, số 0904.038.115 gọi bảo cập nhật VssID, sđt của em 0981 112 223, mail hoa@gmail.com"}}]}]}
                """.formatted(mid);
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
