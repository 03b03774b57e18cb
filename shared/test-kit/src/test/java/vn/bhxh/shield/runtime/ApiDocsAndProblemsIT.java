package vn.bhxh.shield.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.testkit.OpenApiContract;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.testkit.fuzz.FuzzRequest;
import vn.bhxh.shield.testkit.fuzz.HttpFuzzer;

/**
 * What {@link ServiceHttpServer} gives every service: its OpenAPI document and Swagger UI, and every error as
 * problem+json; and {@link OpenApiContract} telling an answer that keeps the document from one that does not.
 */
class ApiDocsAndProblemsIT {

    private static final String SERVICE = "example-service";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OpenApiContract CONTRACT = OpenApiContract.of(SERVICE);
    private static ServiceHttpServer server;

    @BeforeAll
    static void start() {
        server = ServiceHttpServer.start(SERVICE, 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Map.of(),
                config -> {
                    config.routes.get("/greeting", ctx -> {
                        if (ctx.queryParam("busy") != null) {
                            throw HttpProblem.of(503, "BUSY", "Đang bận, hãy thử lại.").retryAfter(3);
                        }
                        if (ctx.queryParam("name") == null) {
                            throw new HttpProblem(400, "VALIDATION_FAILED", "Thông tin chưa hợp lệ, xem từng mục.",
                                    List.of(Map.of("field", "name", "message", "Chưa có tên.")), null);
                        }
                        ctx.json(Map.of("text", "Xin chào " + ctx.queryParam("name")));
                    });
                    config.routes.get("/broken", ctx -> {
                        throw new IllegalStateException("a bug");
                    });
                });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyErrorIsProblemJsonInVietnamese() throws Exception {
        JsonNode invalid = problem(get("/greeting"), 400);
        assertThat(invalid.path("type").asText()).isEqualTo("urn:bhxh-shield:problem:validation-failed");
        assertThat(invalid.path("title").asText()).isEqualTo("Yêu cầu không hợp lệ");
        assertThat(invalid.path("detail").asText()).isEqualTo("Thông tin chưa hợp lệ, xem từng mục.");
        assertThat(invalid.path("instance").asText()).isEqualTo("/greeting");
        assertThat(invalid.path("errors").get(0).path("field").asText()).isEqualTo("name");

        HttpResponse<String> busy = get("/greeting?busy=1");
        assertThat(busy.headers().firstValue("Retry-After")).hasValue("3");
        problem(busy, 503);
        assertThat(problem(get("/broken"), 500).path("detail").asText()).isEqualTo("Lỗi hệ thống, vui lòng thử lại sau.");
        assertThat(problem(get("/no/such/route"), 404).path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(problem(get("/docs/not-an-asset.js"), 404).path("code").asText()).isEqualTo("NOT_FOUND");

        // Refused by Jetty before any route: a header over its limit.
        HttpFuzzer.Response tooLarge = new HttpFuzzer(server.port()).send(FuzzRequest.of("GET", "/greeting")
                .header("X-Long", "x".repeat(64 * 1024)).build());
        assertThat(tooLarge.status()).isEqualTo(431);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");
        assertThat(JSON.readTree(tooLarge.body()).path("detail").asText()).contains("quá lớn");
    }

    @Test
    void theDocumentIsServedWithTheCommonPartsAndSwaggerUiFromItsWebjar() throws Exception {
        JsonNode document = JSON.readTree(get(ApiDocs.SPEC_PATH).body());
        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(document.path("paths").has("/greeting")).isTrue();
        assertThat(document.path("paths").has("/health/ready")).as("from common.yaml").isTrue();
        assertThat(document.at("/components/schemas/Problem/required").toString()).contains("detail");

        HttpResponse<String> page = get(ApiDocs.UI_PATH);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("/docs/swagger-ui-bundle.js").doesNotContain("http://", "https://");
        assertThat(get(ApiDocs.UI_PATH + "/swagger-ui-bundle.js").body()).contains("SwaggerUIBundle");
        assertThat(get(ApiDocs.UI_PATH + "/swagger-ui.css").statusCode()).isEqualTo(200);
        assertThat(get(ApiDocs.UI_PATH + "/init.js").body()).contains("/openapi.json");
    }

    @Test
    void theContractAcceptsWhatTheDocumentSaysAndNothingElse() {
        CONTRACT.check(get("/greeting?name=Lan"));
        CONTRACT.check(get("/greeting"));
        CONTRACT.check(get("/no/such/route"));
        assertThat(CONTRACT.problems("GET", "/greeting", 200, "application/json", "{\"text\":\"\"}"))
                .as("a body against the schema").isNotEmpty();
        assertThat(CONTRACT.problems("GET", "/greeting", 404, "application/problem+json", "{}"))
                .as("an undocumented status").containsExactly("status 404 is not documented");
        assertThat(CONTRACT.problems("GET", "/greeting", 200, "text/html", "<p>"))
                .as("an undocumented content type").isNotEmpty();
        assertThat(CONTRACT.problems("GET", "/greeting", 400, "application/json", "{\"error\":\"x\"}"))
                .as("an error that is no problem+json").isNotEmpty();
        assertThat(CONTRACT.problems("POST", "/greeting", 200, "application/json", "{\"text\":\"a\"}"))
                .as("an undocumented method").isNotEmpty();
        assertThat(CONTRACT.problems("GET", "/elsewhere", 200, "application/json", "{}"))
                .as("an undocumented path that succeeds").isNotEmpty();
        assertThat(CONTRACT.notExercised()).contains("GET /broken", "GET /metrics").doesNotContain("GET /greeting");
    }

    private static HttpResponse<String> get(String path) {
        return ServiceProbe.get(server.port(), path);
    }

    private static JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(HttpProblem.CONTENT_TYPE);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isEqualTo(HttpProblem.title(status));
        return problem;
    }
}
