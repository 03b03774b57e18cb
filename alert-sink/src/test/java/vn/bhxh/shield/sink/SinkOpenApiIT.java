package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.bhxh.shield.sink.SinkHttp.CONTRACT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.ApiDocs;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.testkit.SinkUsers;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * Every endpoint of the sink's OpenAPI document called, each answer validated against the document by
 * {@link SinkHttp} (as the answers of the appeal, dashboard and partner feed ITs are); and every error is RFC 9457
 * problem+json with a Vietnamese detail.
 */
class SinkOpenApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PARTNER_KEY = "viettel-openapi-key-1";
    private static FakeProcessorLookup processor;
    private static AlertSinkService sink;
    private static SinkHttp http;

    @BeforeAll
    static void start() throws Exception {
        processor = new FakeProcessorLookup();
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        sink = AlertSinkService.start(Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "SINK_GROUP_ID", "sink-openapi-it-" + System.nanoTime(),
                "SINK_HTTP_PORT", "0",
                "SINK_SESSION_KEY", "openapi-it-session-key",
                "SINK_APPEAL_KEY", AppealsIT.appealKey(),
                "SINK_USERS", SinkUsers.hashed("quocgia1:qg-pass-1:national,thanhhoa1:th-pass-1:thanh-hoa"),
                "SINK_PARTNER_KEYS", "viettel:" + PARTNER_KEY,
                "SINK_APPEALS_PER_HOUR", "360000000",
                "PROCESSOR_URL", processor.url())));
        ServiceProbe.awaitHealthy(sink.port(), Duration.ofSeconds(60));
        http = new SinkHttp(sink.port());
    }

    @AfterAll
    static void stop() throws Exception {
        sink.close();
        processor.close();
    }

    @Test
    void thePartnerFeedAnswersAsDocumented() throws Exception {
        Eventually.await("the blocklist is loaded", Duration.ofSeconds(60),
                () -> partner("/api/v1/blocklist", PARTNER_KEY).statusCode() == 200);
        JsonNode snapshot = JSON.readTree(partner("/api/v1/blocklist", PARTNER_KEY).body());
        assertThat(partner("/api/v1/blocklist?format=csv", PARTNER_KEY).headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        assertThat(partner("/api/v1/blocklist/changes?since=" + snapshot.path("version").asText(), PARTNER_KEY)
                .statusCode()).isEqualTo(200);
        assertProblem(partner("/api/v1/blocklist/changes?since=yesterday", PARTNER_KEY), 400);
        assertProblem(partner("/api/v1/blocklist", null), 401);
        assertProblem(partner("/api/v1/blocklist", "wrong-key"), 401);
        assertThat(partner("/api/v1/blocklist?format=stix&kind=DOMAIN", PARTNER_KEY).statusCode()).isEqualTo(200);
        assertProblem(partner("/api/v1/blocklist?kind=TELEPHONE", PARTNER_KEY), 400);
        HttpResponse<String> zone = partner("/api/v1/blocklist/rpz", PARTNER_KEY);
        assertThat(zone.body()).contains("$TTL", " SOA ");
        assertThat(http.send(http.request("/api/v1/blocklist/rpz").header("Authorization", "Bearer " + PARTNER_KEY)
                .header("If-None-Match", zone.headers().firstValue("ETag").orElseThrow())).statusCode())
                .isEqualTo(304);
        assertThat(lookup("[\"0994311201\", \"lua-dao.vn\"]", "application/json").statusCode()).isEqualTo(200);
        assertProblem(lookup("{}", "application/json"), 400);
        assertProblem(lookup("0994311201", "application/xml"), 415);
        assertProblem(lookup("[" + "\"0994311201\",".repeat(10_000) + "\"0994311202\"]", "application/json"), 413);
        assertProblem(partner("/api/v1/blocklist/rpz", null), 401);
    }

    @Test
    void theDashboardAnswersAsDocumented() {
        assertProblem(http.send(http.request("/api/v1/dashboard/alerts").GET()), 401);
        assertProblem(http.send(http.request("/api/v1/dashboard/events").GET()), 401);
        SinkHttp.Session officer = http.signIn("thanhhoa1", "th-pass-1");
        assertThat(http.send(http.request("/api/v1/dashboard/alerts", officer).GET()).statusCode()).isEqualTo(200);
        assertThat(http.send(http.request("/api/v1/dashboard/board?unacknowledged=true", officer).GET()).statusCode())
                .isEqualTo(200);
        assertThat(http.send(http.request("/api/v1/dashboard/board.csv?kind=PHONE", officer).GET()).statusCode())
                .isEqualTo(200);
        assertProblem(http.send(http.request("/api/v1/dashboard/board").GET()), 401);
        assertProblem(http.send(http.request("/api/v1/dashboard/board.csv").GET()), 401);
        assertProblem(http.send(http.request("/api/v1/dashboard/lookup", officer).GET()), 400);
        assertProblem(http.send(http.request("/api/v1/dashboard/lookup?indicator=0994311201", officer).GET()), 404);
        assertProblem(http.send(http.request("/api/v1/dashboard/evidence?indicator=0994311201", officer).GET()), 403);
        HttpRequest.Builder acknowledge = http.request("/api/v1/dashboard/acknowledge", officer)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("alertId=none&indicator=tel:+84994311201"));
        assertProblem(http.send(acknowledge.copy()), 403);
        assertProblem(http.send(acknowledge.header("X-CSRF-Token", officer.csrf())), 404);
        assertProblem(http.postJson("/api/v1/decisions", "{\"indicator\":\"0994311201\",\"action\":\"NONE\"}",
                officer, "X-CSRF-Token", officer.csrf()), 400);
        assertProblem(http.postJson("/api/v1/decisions", "{}", officer), 403);
        assertProblem(http.send(http.request("/api/v1/dashboard/appeals", officer).GET()), 403);
        assertProblem(http.send(http.request("/api/v1/dashboard/appeals/events", officer).GET()), 403);
        assertProblem(http.send(http.request("/api/v1/dashboard/trends", officer).GET()), 403);
        assertProblem(http.send(http.request("/api/v1/dashboard/trends").GET()), 401);
        assertThat(http.send(http.request("/logout", officer).header("Content-Type",
                        "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + officer.csrf()))).statusCode()).isEqualTo(303);
        assertThat(http.send(http.request("/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=thanhhoa1&password=wrong"))).statusCode())
                .isEqualTo(401);
    }

    @Test
    void theAppealsAnswerAsDocumented() {
        String appeal = "{\"indicator\":\"0994311201\",\"contact\":\"0912345678\",\"explanation\":\""
                + "Số này là của cửa hàng tôi, không phải lừa đảo.\"}";
        Eventually.await("the appeal desk is loaded", Duration.ofSeconds(60),
                () -> http.postJson("/api/v1/appeals", appeal, null).statusCode() != 503);
        assertProblem(http.postJson("/api/v1/appeals", appeal, null), 422);
        assertProblem(http.postJson("/api/v1/appeals", "{}", null), 400);
        assertProblem(http.send(http.request("/api/v1/appeals").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(appeal))), 415);
        assertProblem(http.send(http.request("/api/v1/appeals/KHONGCO").GET()), 404);
        SinkHttp.Session national = http.signIn("quocgia1", "qg-pass-1");
        assertThat(http.send(http.request("/api/v1/dashboard/appeals", national).GET()).statusCode()).isEqualTo(200);
        assertThat(http.send(http.request("/api/v1/dashboard/trends", national).GET()).statusCode()).isEqualTo(200);
        assertProblem(http.postJson("/api/v1/dashboard/appeals/" + URLEncoder.encode("KHONGCO", StandardCharsets.UTF_8)
                + "/decision", "{\"action\":\"KEEP\",\"reason\":\"Đã xác minh với chủ thuê bao qua điện thoại.\"}",
                national, "X-CSRF-Token", national.csrf()), 404);
    }

    /** At the default limit (30 a minute: one every 2 s per client), so the second question at once is refused. */
    @Test
    void theCitizensCheckAnswersAsDocumented() {
        assertThat(http.send(http.request("/api/v1/check?q=0909.000.111").GET()).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = http.send(http.request("/api/v1/check?q=1900%209068").GET());
        assertProblem(refused, 429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
        AtomicReference<HttpResponse<String>> invalid = new AtomicReference<>();
        Eventually.await("the client may ask again", Duration.ofSeconds(10), () -> {
            invalid.set(http.send(http.request("/api/v1/check?q=0904%20038").GET()));
            return invalid.get().statusCode() != 429;
        });
        assertProblem(invalid.get(), 400);
    }

    @Test
    void thePagesAndTheOperationalEndpointsAnswerAsDocumented() {
        for (String path : new String[] {"/", "/khieu-nai", "/dashboard.js", "/appeal.js", "/appeals.js", "/trends.js", "/vendor/chart.umd.min.js",
                "/kiem-tra", "/citizen-check.js",
                "/health/live", "/health/ready", "/health", "/metrics"}) {
            assertThat(http.send(http.request(path).GET()).statusCode()).as(path).isEqualTo(200);
        }
        assertProblem(http.send(http.request("/no/such/page").GET()), 404);
        assertThat(http.send(http.request(ApiDocs.SPEC_PATH).GET()).body()).isEqualTo(CONTRACT.document().toString());
        assertThat(http.send(http.request(ApiDocs.UI_PATH).GET()).body()).contains("/docs/swagger-ui-bundle.js");
        assertThat(http.send(http.request(ApiDocs.UI_PATH + "/init.js").GET()).statusCode()).isEqualTo(200);
    }

    /** After all the tests: the calls of each count. */
    @AfterAll
    static void everyDocumentedEndpointWasCalled() {
        assertThat(CONTRACT.notExercised()).as("documented endpoints no test called").isEmpty();
    }

    private static HttpResponse<String> partner(String path, String key) {
        HttpRequest.Builder request = http.request(path).GET();
        return http.send(key == null ? request : request.header("Authorization", "Bearer " + key));
    }

    private static HttpResponse<String> lookup(String body, String contentType) {
        return http.send(http.request("/api/v1/blocklist/lookup").header("Authorization", "Bearer " + PARTNER_KEY)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        try {
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("status").asInt()).isEqualTo(status);
            assertThat(problem.path("detail").asText()).containsPattern("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]");
        } catch (java.io.IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }
}
