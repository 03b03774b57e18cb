package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.ingest.IngestService;
import vn.bhxh.shield.ingest.IngestSettings;
import vn.bhxh.shield.ingest.ZaloOaSettings;
import vn.bhxh.shield.processor.ProcessorService;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * Comments under a BHXH page and messages to three provinces' Zalo OAs, through a real ingest and processor: once
 * citizens of three provinces have named one number (the listing's province threshold), the processor proposes
 * it to the officers, on the national board, with the page and the OAs as its submitting accounts.
 */
class ChannelsAlertIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final String PAGE = "105000000000001";
    private static final String APP_ID = "2553928453557884079";
    private static final String OA_SECRET = "channels-it-oa-secret";
    private static final Map<String, String> OA_PROVINCES = Map.of(
            "3662729599332560481", "thanh-hoa", "3662729599332560482", "nghe-an", "3662729599332560483", "ha-tinh");

    @Test
    void commentsAndZaloMessagesFromThreeProvincesProposeTheNumberTheyName(@TempDir Path stateDir) throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        String scammer = String.format("093%07d", ThreadLocalRandom.current().nextInt(10_000_000));
        String indicator = "tel:+84" + scammer.substring(1);
        String run = UUID.randomUUID().toString();
        Map<String, String> kafka = Map.of("KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl());
        StringBuilder oas = new StringBuilder();
        OA_PROVINCES.forEach((oa, province) -> oas.append(oa).append(':').append(province).append(','));

        try (ProcessorService processor = ProcessorService.start(settings(kafka, Map.of(
                     "PROCESSOR_APPLICATION_ID", "channels-it-processor-" + run,
                     "PROCESSOR_STATE_DIR", stateDir.toString(),
                     "PROCESSOR_HTTP_PORT", "0")));
             IngestService ingest = IngestService.start(settings(kafka, Map.of(
                     IngestService.PORT, "0",
                     IngestSettings.DEV_MODE, "true",
                     IngestSettings.TRANSACTIONAL_ID, "channels-it-ingest-" + run,
                     IngestSettings.PROCESSOR_URL, "http://localhost:1",
                     ZaloOaSettings.APP_ID, APP_ID,
                     ZaloOaSettings.OA_SECRET_KEY, OA_SECRET,
                     ZaloOaSettings.OA_PROVINCES, oas.toString())))) {
            for (int port : List.of(processor.port(), ingest.port())) {
                ServiceProbe.awaitHealthy(port, WITHIN);
            }
            long now = System.currentTimeMillis();
            for (int commenter = 0; commenter < 2; commenter++) {
                comment(ingest, "8" + run.hashCode() + commenter, "Số " + scammer + " gọi mẹ tôi đòi OTP", now);
            }
            for (String oa : OA_PROVINCES.keySet()) {
                zaloText(ingest, oa, "6" + oa.substring(10) + Math.abs(run.hashCode()),
                        "Số " + scammer + " xưng cán bộ BHXH bảo cài VssID", now);
            }

            ConsumerRecord<String, Alert> proposed = CorrelationIT.first(cluster,
                    new Topics(cluster.registryClient()).nationalAlerts(),
                    record -> record.key().equals(indicator) && record.value().getLevel() == AlertLevel.PROPOSED);
            assertThat(proposed.value().getSubmittingAccounts().keySet()).containsExactlyInAnyOrder(
                    "fanpage:" + PAGE, "zalo-oa:3662729599332560481", "zalo-oa:3662729599332560482",
                    "zalo-oa:3662729599332560483");
        }
    }

    private static Settings settings(Map<String, String> kafka, Map<String, String> own) {
        Map<String, String> all = new HashMap<>(kafka);
        all.putAll(own);
        return Settings.of(all);
    }

    /** A comment under the page's post, as the Graph API's feed webhook sends it, signed with the dev app secret. */
    private static void comment(IngestService ingest, String author, String text, long now) throws Exception {
        String body = """
                {"object":"page","entry":[{"id":"%s","time":%d,"changes":[{"field":"feed","value":{
                  "from":{"id":"%s","name":"Người dân"},"post_id":"%s_900","comment_id":"900_%s",
                  "created_time":%d,"item":"comment","verb":"add","message":"%s"}}]}]}
                """.formatted(PAGE, now / 1000, author, PAGE, UUID.randomUUID(), now / 1000, text);
        String secret = IngestSettings.DEVELOPMENT.get(IngestSettings.FANPAGE_APP_SECRET);
        deliver(ingest, "/api/v1/fanpage/webhook", body, "X-Hub-Signature-256", "sha256="
                + Hashing.hmacSha256(secret.getBytes(StandardCharsets.UTF_8)).hashString(body, StandardCharsets.UTF_8));
    }

    /** A citizen's text to an OA, as Zalo's user_send_text event, with its X-ZEvent-Signature. */
    private static void zaloText(IngestService ingest, String oa, String sender, String text, long now)
            throws Exception {
        String body = """
                {"app_id":"%s","user_id_by_app":"%s","event_name":"user_send_text","timestamp":"%d",
                 "sender":{"id":"%s"},"recipient":{"id":"%s"},"message":{"text":"%s","msg_id":"%s"}}
                """.formatted(APP_ID, sender, now, sender, oa, text, UUID.randomUUID());
        deliver(ingest, "/api/v1/zalo-oa/webhook", body, "X-ZEvent-Signature", "mac=" + Hashing.sha256()
                .hashString(APP_ID + body + now + OA_SECRET, StandardCharsets.UTF_8));
    }

    private static void deliver(IngestService ingest, String path, String body, String header, String signature)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + ingest.port() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header(header, signature)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"recorded\":1");
    }
}
