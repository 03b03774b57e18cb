package vn.bhxh.shield.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.bhxh.shield.ingest.IngestFixture.CONTRACT;
import static vn.bhxh.shield.ingest.IngestFixture.OPERATOR;
import static vn.bhxh.shield.ingest.IngestFixture.POLICE;
import static vn.bhxh.shield.ingest.IngestFixture.get;
import static vn.bhxh.shield.ingest.IngestFixture.json;
import static vn.bhxh.shield.ingest.IngestFixture.post;
import static vn.bhxh.shield.ingest.IngestFixture.signed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.hash.Hashing;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.ApiDocs;

/**
 * Every endpoint of ingest's OpenAPI document called, its successes and its errors, each answer validated against
 * the document by {@link IngestFixture} (as every other ingest IT's answers are); and every error is RFC 9457
 * problem+json with a Vietnamese detail.
 */
class IngestOpenApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPORT = ReportsApiIT.report("openapi-1", "0912345678", "0994 311 201");
    private static IngestService ingest;

    @BeforeAll
    static void start() {
        ingest = IngestFixture.startHealthy();
    }

    @AfterAll
    static void stop() {
        ingest.close();
    }

    @Test
    void theApiAnswersAsDocumented() {
        int port = ingest.port();
        assertThat(post(port, "/api/v1/reports", REPORT, json(OPERATOR)).statusCode()).isEqualTo(202);
        assertProblem(post(port, "/api/v1/reports", "{\"channel\":", json(OPERATOR)), 400);
        assertProblem(post(port, "/api/v1/reports", REPORT, json(null)), 401);
        assertProblem(post(port, "/api/v1/reports", REPORT, json(IngestFixture.FANPAGE)), 403);
        Map<String, String> keyed = json(OPERATOR);
        keyed.put("Idempotency-Key", "openapi-" + System.nanoTime());
        assertThat(post(port, "/api/v1/reports", REPORT, keyed).statusCode()).isEqualTo(202);
        assertProblem(post(port, "/api/v1/reports", ReportsApiIT.report("openapi-2", "0912345678", "0994 311 201"),
                keyed), 422);

        assertThat(post(port, "/api/v1/validate", REPORT, json(OPERATOR)).statusCode()).isEqualTo(200);
        assertThat(get(port, "/api/v1/provinces?q=hue", json(OPERATOR)).statusCode()).isEqualTo(200);
        assertProblem(get(port, "/api/v1/provinces", Map.of()), 401);
        // The test's processor is unreachable: the answer says so, it is no error.
        assertThat(get(port, "/api/v1/indicators/tel:+84994311201", json(OPERATOR)).statusCode()).isEqualTo(200);
        assertProblem(get(port, "/api/v1/indicators/nonsense", json(OPERATOR)), 400);
        assertThat(get(port, "/api/v1/indicators?field=phoneNumbers&q=1900%209068", json(OPERATOR)).body())
                .contains("\"accepted\":true", "\"tone\":\"official\"");
        assertThat(get(port, "/api/v1/indicators?field=phoneNumbers&q=0904.038.11", json(OPERATOR)).body())
                .contains("\"accepted\":false");
        assertProblem(get(port, "/api/v1/indicators?field=notes&q=x", json(OPERATOR)), 400);
        assertProblem(get(port, "/api/v1/indicators?field=urls&q=x", json(IngestFixture.FANPAGE)), 403);

        String csv = "identifier,caseReference,unit,province\r\n0994311201,VV-1/2026,PC02 Huế,Huế\r\n";
        Map<String, String> csvHeaders = json(POLICE);
        csvHeaders.put("Content-Type", "text/csv");
        assertThat(post(port, "/api/v1/police/referrals", csv, csvHeaders).statusCode()).isEqualTo(202);
        assertProblem(post(port, "/api/v1/police/referrals",
                "[{\"identifier\":\"x\",\"caseReference\":\"\",\"unit\":\"\",\"province\":\"\"}]", json(POLICE)), 400);
        assertProblem(post(port, "/api/v1/police/referrals", csv, json(OPERATOR)), 403);
    }

    @Test
    void theFanpageWebhookAnswersAsDocumented() {
        int port = ingest.port();
        String verify = IngestSettings.DEVELOPMENT.get(IngestSettings.FANPAGE_VERIFY_TOKEN);
        assertThat(get(port, "/api/v1/fanpage/webhook?hub.mode=subscribe&hub.verify_token=" + verify
                + "&hub.challenge=42", Map.of()).body()).isEqualTo("42");
        assertProblem(get(port, "/api/v1/fanpage/webhook?hub.mode=subscribe&hub.verify_token=no&hub.challenge=1",
                Map.of()), 403);
        String body = "{\"object\":\"page\",\"entry\":[]}";
        assertThat(post(port, "/api/v1/fanpage/webhook", body,
                signed(body, IngestSettings.DEVELOPMENT.get(IngestSettings.FANPAGE_APP_SECRET))).statusCode())
                .isEqualTo(200);
        assertProblem(post(port, "/api/v1/fanpage/webhook", body, json(null)), 401);

        // Zalo OA, with the development app id and key: an event that is no user's text records nothing.
        String zalo = "{\"app_id\":\"dev-zalo-app-id\",\"event_name\":\"follow\",\"timestamp\":\"1764900000000\","
                + "\"sender\":{\"id\":\"1\"},\"recipient\":{\"id\":\"dev-zalo-oa\"}}";
        Map<String, String> zaloSigned = json(null);
        zaloSigned.put("X-ZEvent-Signature", "mac=" + Hashing.sha256().hashString(
                ZaloOaSettings.DEVELOPMENT.get(ZaloOaSettings.APP_ID) + zalo + "1764900000000"
                        + ZaloOaSettings.DEVELOPMENT.get(ZaloOaSettings.OA_SECRET_KEY), StandardCharsets.UTF_8));
        assertThat(post(port, "/api/v1/zalo-oa/webhook", zalo, zaloSigned).body()).contains("\"recorded\":0");
        assertProblem(post(port, "/api/v1/zalo-oa/webhook", zalo, json(null)), 401);
    }

    @Test
    void thePagesAndTheOperationalEndpointsAnswerAsDocumented() {
        int port = ingest.port();
        assertThat(get(port, "/", Map.of()).body()).contains("<form");
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");
        assertThat(post(port, "/session", "token=wrong", form).statusCode()).isEqualTo(401);
        String operatorToken = OPERATOR.substring("Bearer ".length());
        HttpResponse<String> signedIn = post(port, "/session", "token=" + operatorToken, form);
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String page = get(port, "/", Map.of("Cookie", cookie)).body();
        Matcher csrf = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).as("the form page carries its CSRF token").isTrue();
        Map<String, String> session = json(null);
        session.put("Cookie", cookie);
        assertProblem(post(port, "/api/v1/validate", REPORT, session), 403);
        session.put("X-CSRF-Token", csrf.group(1));
        assertThat(post(port, "/api/v1/validate", REPORT, session).statusCode()).isEqualTo(200);
        assertProblem(post(port, "/session/end", "csrf=wrong", Map.of("Cookie", cookie,
                "Content-Type", "application/x-www-form-urlencoded")), 403);
        assertThat(post(port, "/session/end", "csrf=" + csrf.group(1), Map.of("Cookie", cookie,
                "Content-Type", "application/x-www-form-urlencoded")).statusCode()).isEqualTo(303);
        assertThat(get(port, "/static/form.js", Map.of()).statusCode()).isEqualTo(200);
        assertThat(get(port, "/static/police.js", Map.of()).statusCode()).isEqualTo(200);
        assertThat(get(port, "/static/mau-chuyen-giao.csv", Map.of()).body()).startsWith("\uFEFFidentifier,");
        assertThat(get(port, "/static/form.css", Map.of()).statusCode()).isEqualTo(200);
        for (String path : new String[] {"/health/live", "/health/ready", "/health", "/metrics"}) {
            assertThat(get(port, path, Map.of()).statusCode()).as(path).isEqualTo(200);
        }
        assertProblem(get(port, "/no/such/page", Map.of()), 404);
        assertThat(get(port, ApiDocs.SPEC_PATH, Map.of()).body()).isEqualTo(CONTRACT.document().toString());
        assertThat(get(port, ApiDocs.UI_PATH, Map.of()).body()).contains("/docs/swagger-ui-bundle.js");
        assertThat(get(port, ApiDocs.UI_PATH + "/swagger-ui-bundle.js", Map.of()).body()).contains("SwaggerUIBundle");
    }

    /** After all the tests: the calls of each count. */
    @AfterAll
    static void everyDocumentedEndpointWasCalled() {
        assertThat(CONTRACT.notExercised()).as("documented endpoints no test called").isEmpty();
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        try {
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("status").asInt()).isEqualTo(status);
            assertThat(problem.path("type").asText()).startsWith("urn:bhxh-shield:problem:");
            // Vietnamese for people: each has letters only Vietnamese spells (ă, ơ, ư, đ, tones).
            assertThat(problem.path("title").asText() + problem.path("detail").asText())
                    .containsPattern("[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]");
        } catch (java.io.IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }
}
