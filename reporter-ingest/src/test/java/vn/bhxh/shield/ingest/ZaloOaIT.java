package vn.bhxh.shield.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.bhxh.shield.ingest.IngestFixture.json;
import static vn.bhxh.shield.ingest.IngestFixture.post;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.hash.Hashing;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.testkit.KafkaTestCluster;

/** The Zalo OA webhook of a real ingest on a real broker, with events shaped as Zalo's documentation shows them. */
class ZaloOaIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/api/v1/zalo-oa/webhook";
    private static final String APP_ID = "2553928453557884079";
    private static final String OA_SECRET = "zalo-it-oa-secret";
    private static final String THANH_HOA_OA = "3662729599332560487";
    private static IngestService ingest;

    @BeforeAll
    static void start() {
        ingest = IngestFixture.startHealthy(IngestFixture.settings(KafkaTestCluster.shared(),
                "ingest-zalo-it-" + UUID.randomUUID()).with(Map.of(
                ZaloOaSettings.APP_ID, APP_ID,
                ZaloOaSettings.OA_SECRET_KEY, OA_SECRET,
                ZaloOaSettings.OA_PROVINCES, THANH_HOA_OA + ":Thanh Hóa, 1111111111111111111:ha-noi")));
    }

    @AfterAll
    static void stop() {
        ingest.close();
    }

    /** A user's text to an OA, as Zalo sends it: ids and the millisecond timestamp are strings. */
    static String userSendText(String oaId, String senderId, String msgId, String text, long timestamp) {
        return """
                {"app_id":"%s","user_id_by_app":"%s","event_name":"user_send_text","timestamp":"%d",
                 "sender":{"id":"%s"},"recipient":{"id":"%s"},"message":{"text":"%s","msg_id":"%s"}}
                """.formatted(APP_ID, "9" + senderId, timestamp, senderId, oaId, text, msgId);
    }

    static Map<String, String> signed(String body, String secret) {
        String timestamp = body.replaceAll("(?s).*\"timestamp\":\"(\\d+)\".*", "$1");
        Map<String, String> headers = json(null);
        headers.put("X-ZEvent-Signature", "mac=" + Hashing.sha256()
                .hashString(APP_ID + body + timestamp + secret, StandardCharsets.UTF_8));
        return headers;
    }

    private static HttpResponse<String> deliver(String body) {
        return post(ingest.port(), PATH, body, signed(body, OA_SECRET));
    }

    private static int recorded(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("recorded").asInt();
    }

    private static String sender() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000_000L, 9_000_000_000_000_000L));
    }

    @Test
    void aTextToAnOaIsOneReportOfItsProvinceWithItsIndicatorAndNoSender() throws Exception {
        String msgId = "cb31dff1c39642cc" + UUID.randomUUID().toString().substring(0, 8);
        String sender = sender();
        long timestamp = System.currentTimeMillis();
        String body = userSendText(THANH_HOA_OA, sender, msgId,
                "Có người gọi số 0936.417.600 xưng cán bộ BHXH Thanh Hóa đòi mã OTP, sđt của tôi 0981 112 223",
                timestamp);

        assertThat(recorded(deliver(body))).isEqualTo(1);
        assertThat(recorded(deliver(body))).as("Zalo re-sends until it gets a 200").isZero();
        assertThat(IngestFixture.committedReports(KafkaTestCluster.shared(), r -> msgId.equals(r.getSourceReference())))
                .singleElement().satisfies(report -> {
                    assertThat(report.getChannel()).isEqualTo(Channel.FANPAGE);
                    assertThat(report.getProvince()).isEqualTo("thanh-hoa");
                    assertThat(report.getSubmittedBy()).isEqualTo("zalo-oa:" + THANH_HOA_OA);
                    assertThat(report.getPhoneNumbers()).containsExactly("+84936417600");
                    assertThat(report.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(timestamp));
                    assertThat(report.getReporterPseudonym()).matches("[0-9a-f]{64}");
                    assertThat(report.toString()).doesNotContain(sender, "0981 112 223");
                });
        assertThat(IngestFixture.committedIndicatorEvents(KafkaTestCluster.shared(),
                        event -> msgId.equals(event.getSourceReference())))
                .singleElement().satisfies(record -> {
                    assertThat(record.key()).isEqualTo("tel:+84936417600");
                    assertThat(record.value().getProvince()).isEqualTo("thanh-hoa");
                });
    }

    @Test
    void deliveriesOfOneMessageAtOnceRecordItOnce() throws Exception {
        // Zalo re-sends an event it got no answer to within two seconds: the retry can arrive mid-write.
        String msgId = UUID.randomUUID().toString();
        String body = userSendText(THANH_HOA_OA, sender(), msgId, "Số 0936 417 600", System.currentTimeMillis());
        List<CompletableFuture<HttpResponse<String>>> deliveries = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> deliver(body))).toList();
        int recorded = 0;
        for (CompletableFuture<HttpResponse<String>> delivery : deliveries) {
            recorded += recorded(delivery.get());
        }
        assertThat(recorded).isEqualTo(1);
        assertThat(IngestFixture.committedReports(KafkaTestCluster.shared(), r -> msgId.equals(r.getSourceReference())))
                .hasSize(1);
    }

    @Test
    void otherEventsAreAcknowledgedAndRecordNothing() throws Exception {
        long timestamp = System.currentTimeMillis();
        String follow = """
                {"oa_id":"%s","follower":{"id":"%s"},"user_id_by_app":"979122185046046317","event_name":"follow",
                 "source":"oa_profile","app_id":"%s","timestamp":"%d"}
                """.formatted(THANH_HOA_OA, sender(), APP_ID, timestamp);
        String oaReply = """
                {"app_id":"%s","event_name":"oa_send_text","timestamp":"%d","sender":{"id":"%s"},
                 "recipient":{"id":"%s"},"message":{"text":"Số 0936417600 là số giả mạo","msg_id":"%s"}}
                """.formatted(APP_ID, timestamp, THANH_HOA_OA, sender(), UUID.randomUUID());
        assertThat(recorded(deliver(follow))).isZero();
        assertThat(recorded(deliver(oaReply))).as("the office's own reply").isZero();
    }

    @Test
    void refusesForgedAndMalformedEvents() {
        String body = userSendText(THANH_HOA_OA, sender(), UUID.randomUUID().toString(), "0936417600",
                System.currentTimeMillis());
        assertThat(post(ingest.port(), PATH, body, json(null)).statusCode()).isEqualTo(401);
        assertThat(post(ingest.port(), PATH, body, signed(body, "not-the-secret")).statusCode()).isEqualTo(401);
        String noMessageId = body.replaceAll(",\"msg_id\":\"[^\"]*\"", "");
        HttpResponse<String> malformed = deliver(noMessageId);
        assertThat(malformed.statusCode()).isEqualTo(400);
        // Rendered as every problem of ingest is (Endpoints.render): the field and a message for people.
        assertThat(malformed.body()).contains("\"field\":\"message.msg_id\"", "Sự kiện Zalo thiếu");
        assertThat(deliver("{not json").statusCode()).isEqualTo(400);
    }

    @Test
    void whereEachOaHasItsOwnKeyAnEventIsCheckedWithTheKeyOfItsOa() throws Exception {
        String haNoiOa = "1111111111111111111";
        try (IngestService perOa = IngestFixture.startHealthy(IngestFixture.settings(KafkaTestCluster.shared(),
                "ingest-zalo-keys-it-" + UUID.randomUUID()).with(Map.of(
                ZaloOaSettings.APP_ID, APP_ID,
                ZaloOaSettings.OA_SECRET_KEY, THANH_HOA_OA + ":thanh-hoa-key, " + haNoiOa + ":ha-noi-key",
                ZaloOaSettings.OA_PROVINCES, THANH_HOA_OA + ":thanh-hoa," + haNoiOa + ":ha-noi")))) {
            String toThanhHoa = userSendText(THANH_HOA_OA, sender(), UUID.randomUUID().toString(), "Số 0936 417 600",
                    System.currentTimeMillis());
            String toHaNoi = userSendText(haNoiOa, sender(), UUID.randomUUID().toString(), "Số 0936 417 600",
                    System.currentTimeMillis());
            assertThat(recorded(post(perOa.port(), PATH, toThanhHoa, signed(toThanhHoa, "thanh-hoa-key")))).isEqualTo(1);
            assertThat(recorded(post(perOa.port(), PATH, toHaNoi, signed(toHaNoi, "ha-noi-key")))).isEqualTo(1);
            // Another office's key does not sign this office's events.
            assertThat(post(perOa.port(), PATH, toHaNoi, signed(toHaNoi, "thanh-hoa-key")).statusCode()).isEqualTo(401);
            String toUnknown = userSendText("4444444444444444444", sender(), UUID.randomUUID().toString(), "Số 0936 417 600",
                    System.currentTimeMillis());
            assertThat(post(perOa.port(), PATH, toUnknown, signed(toUnknown, "ha-noi-key")).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void anOaWithoutProvinceStillRecordsTheReportWithoutOne() throws Exception {
        String msgId = UUID.randomUUID().toString();
        assertThat(recorded(deliver(userSendText("4444444444444444444", sender(), msgId, "Số 0936 417 600",
                System.currentTimeMillis())))).isEqualTo(1);
        assertThat(IngestFixture.committedReports(KafkaTestCluster.shared(), r -> msgId.equals(r.getSourceReference())))
                .singleElement().satisfies(report -> {
                    assertThat(report.getProvince()).isNull();
                    assertThat(report.getSubmittedBy()).isEqualTo("zalo-oa:4444444444444444444");
                });
    }
}
