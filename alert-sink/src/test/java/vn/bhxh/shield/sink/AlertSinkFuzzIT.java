package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.nastyText;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.pick;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.randomBytes;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.spliceInvalidUtf8;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.urlJunk;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.utf8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.testkit.SinkUsers;
import vn.bhxh.shield.testkit.fuzz.FuzzRequest;
import vn.bhxh.shield.testkit.fuzz.HostileInput;
import vn.bhxh.shield.testkit.fuzz.HttpFuzzer;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The partner feed, the dashboard sign-in, the owners' appeals and the citizens' check under {@code fuzz.requests}
 * generated bad requests each (see {@code IngestFuzzIT}): junk versions, formats, keys, forms, header and path
 * tricks. No 5xx but the feed's designed 503 for a version this instance has not read up to (a client cannot tell a
 * bogus version from one another instance gave), every feed refusal JSON with its reason, the service healthy
 * afterwards.
 */
class AlertSinkFuzzIT {

    private static final String KEY = "viettel-fuzz-key-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AlertSinkService sink;
    private static HttpFuzzer fuzzer;

    @BeforeAll
    static void start() throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        sink = AlertSinkService.start(Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "SINK_GROUP_ID", "sink-fuzz-it-" + System.nanoTime(),
                "SINK_PARTNER_KEYS", "viettel:" + KEY,
                "SINK_USERS", SinkUsers.hashed("thanhhoa:th-fuzz-pass:thanh-hoa"),
                "SINK_SESSION_KEY", "fuzz-it-session-key",
                "SINK_APPEAL_KEY", AppealsIT.appealKey(),
                // High, so most well-formed appeals reach the listing check rather than the limit.
                "SINK_APPEALS_PER_HOUR", "360000000",
                // High, so most questions reach the normaliser rather than the limit.
                CitizenPage.PER_MINUTE, "6000000",
                "SINK_HTTP_PORT", "0")));
        ServiceProbe.awaitHealthy(sink.port(), Duration.ofSeconds(60));
        fuzzer = new HttpFuzzer(sink.port());
    }

    @AfterAll
    static void stop() throws Exception {
        sink.close();
    }

    record Endpoint(String name, String path, Function<Random, FuzzRequest> generator) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Endpoint> endpoints() {
        return Stream.of(
                new Endpoint("GET /api/v1/blocklist", "/api/v1/blocklist", r -> feed(r, "/api/v1/blocklist?format="
                        + pick(r, List.of("csv", "json", "CSV", "", urlJunk(r), URLEncoder.encode(nastyText(r),
                        StandardCharsets.UTF_8))))),
                new Endpoint("GET /api/v1/blocklist/changes", "/api/v1/blocklist/changes",
                        r -> feed(r, "/api/v1/blocklist/changes?since=" + since(r))),
                new Endpoint("POST /login (dashboard sign-in)", "/login", AlertSinkFuzzIT::signIn),
                new Endpoint("POST /api/v1/appeals (owners)", "/api/v1/appeals", AlertSinkFuzzIT::appeal),
                new Endpoint("GET /api/v1/check (citizens)", CitizenPage.API, r -> HostileInput.sometimes(r,
                        FuzzRequest.of("GET", CitizenPage.API + "?q=" + pick(r, List.of(urlJunk(r), "0904.038.115",
                                URLEncoder.encode(nastyText(r), StandardCharsets.UTF_8), URLEncoder.encode(
                                        "hxxps://bad[.]com/" + nastyText(r), StandardCharsets.UTF_8))))).build()),
                new Endpoint("GET /api/v1/appeals/{receipt}", "/api/v1/appeals/",
                        r -> HostileInput.sometimes(r, FuzzRequest.of("GET", "/api/v1/appeals/" + pick(r, List.of(
                                urlJunk(r), "AAAAAAAAAAAAAAAAAAAAAA", URLEncoder.encode(nastyText(r),
                                        StandardCharsets.UTF_8))))).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void noServerErrorAndEveryFeedRefusalIsJson(Endpoint endpoint) {
        HttpFuzzer.Tally tally = fuzzer.run(endpoint.name(), endpoint.generator(), new HttpFuzzer.Check() {
            @Override
            public Optional<String> problem(FuzzRequest request, HttpFuzzer.Response response) {
                return AlertSinkFuzzIT.problem(endpoint, request, response);
            }

            @Override
            public boolean designedServerError(HttpFuzzer.Response response) {
                return endpoint.path().equals("/api/v1/blocklist/changes") && response.status() == 503
                        && response.body().contains("\"code\":\"NOT_CAUGHT_UP\"");
            }
        });

        assertThat(tally.firstViolations()).as(tally.toString()).isEmpty();
        assertThat(tally.serverErrors()).isZero();
        assertThat(tally.requests()).isEqualTo(HttpFuzzer.REQUESTS);
        assertThat(ServiceProbe.get(sink.port(), "/health").statusCode()).isEqualTo(200);
    }

    private static Optional<String> problem(Endpoint endpoint, FuzzRequest request, HttpFuzzer.Response response) {
        if (endpoint.path().startsWith("/api/v1/appeals")) {
            return appealProblem(request, response);
        }
        boolean reachedFeed = endpoint.path().startsWith("/api/") && !request.raw()
                && request.target().startsWith(endpoint.path() + "?") && !response.contentType().startsWith("text/html");
        if (!reachedFeed || response.status() < 400 || response.status() >= 500) {
            return Optional.empty(); // pages, and what Jetty refused before the feed (HTML): any 4xx will do
        }
        if (!response.contentType().startsWith("application/problem+json")) {
            return Optional.of("feed refusal that is not problem+json");
        }
        try {
            return JSON.readTree(response.body()).path("detail").asText("").isBlank()
                    ? Optional.of("feed refusal without a detail") : Optional.empty();
        } catch (Exception notJson) {
            return Optional.of("feed refusal that is not JSON");
        }
    }

    /** An appeal the owners' API took to task must say why, for people, as problem+json. */
    private static Optional<String> appealProblem(FuzzRequest request, HttpFuzzer.Response response) {
        boolean reachedApi = !request.raw() && request.method().equals("POST")
                && request.target().equals("/api/v1/appeals") && !response.contentType().startsWith("text/html");
        if (!reachedApi || response.status() < 400 || response.status() >= 500) {
            return Optional.empty();
        }
        if (!response.contentType().startsWith("application/problem+json")) {
            return Optional.of("appeal refusal that is not problem+json");
        }
        try {
            return JSON.readTree(response.body()).path("detail").asText("").isBlank()
                    ? Optional.of("appeal refusal without a detail") : Optional.empty();
        } catch (Exception notJson) {
            return Optional.of("appeal refusal that is not JSON");
        }
    }

    private static FuzzRequest appeal(Random r) {
        JsonNode valid = HostileInput.parse("""
                {"indicator":"0904 038 115","contact":"chu.so@example.vn","explanation":"Số của tôi, không lừa đảo ai."}""");
        FuzzRequest.Builder request = FuzzRequest.of("POST", "/api/v1/appeals").header("Content-Type",
                pick(r, List.of("application/json", "application/json", "application/json; charset=utf-8",
                        "APPLICATION/JSON", "text/plain", "application/x-www-form-urlencoded")));
        request.body(switch (r.nextInt(6)) {
            case 0, 1 -> utf8(HostileInput.mutateJson(r, valid));
            case 2 -> utf8(HostileInput.duplicateKey(r, valid));
            case 3 -> utf8(HostileInput.deeplyNested(r, 1 + r.nextInt(5_000)));
            case 4 -> spliceInvalidUtf8(r, utf8(valid.toString()));
            default -> randomBytes(r, r.nextInt(512));
        });
        if (r.nextInt(10) == 0) {
            request.header("Sec-Fetch-Site", pick(r, List.of("cross-site", "same-origin", "none", nastyText(r)
                    .replaceAll("[\\r\\n]", ""))));
        }
        return HostileInput.sometimes(r, request).build();
    }

    private static String since(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> urlJunk(r);
            case 1 -> "0.0.0.0.0.0." + pick(r, List.of("0", "-1", "99999999999999999999", "1e3", "", "0.0"));
            case 2 -> String.join(".", java.util.Collections.nCopies(1 + r.nextInt(12),
                    Long.toString(r.nextInt(3) == 0 ? Long.MAX_VALUE : r.nextInt(50))));
            case 3 -> URLEncoder.encode(nastyText(r), StandardCharsets.UTF_8);
            case 4 -> "0.0.0.0.0.0.0&since=" + urlJunk(r);
            default -> ".".repeat(r.nextInt(40)) + "9".repeat(r.nextInt(40));
        };
    }

    private static FuzzRequest feed(Random r, String target) {
        FuzzRequest.Builder request = FuzzRequest.of("GET", target);
        switch (r.nextInt(6)) {
            case 0, 1, 2 -> request.header("Authorization", "Bearer " + KEY);
            case 3 -> request.header("Authorization", pick(r, List.of("Bearer ", "Bearer " + KEY + "x", "Basic "
                    + KEY, "bearer " + KEY, "Bearer " + nastyText(r).replaceAll("[\\r\\n]", ""))));
            case 4 -> request.header("Authorization", "Bearer " + KEY).header("Authorization", "Bearer wrong");
            default -> { }
        }
        return HostileInput.sometimes(r, request).build();
    }

    private static FuzzRequest signIn(Random r) {
        FuzzRequest.Builder request = FuzzRequest.of("POST", "/login")
                .header("Content-Type", "application/x-www-form-urlencoded");
        request.body(switch (r.nextInt(6)) {
            case 0 -> utf8("user=" + URLEncoder.encode(nastyText(r), StandardCharsets.UTF_8) + "&password="
                    + URLEncoder.encode(nastyText(r), StandardCharsets.UTF_8));
            case 1 -> utf8("user=thanhhoa&password=" + urlJunk(r));
            case 2 -> utf8("user=thanhhoa&user=admin&password=th-fuzz-pass&password=x");
            case 3 -> randomBytes(r, r.nextInt(512));
            case 4 -> utf8("user=" + "a".repeat(pick(r, List.of(10_000, 1_100_000))) + "&password=");
            default -> spliceInvalidUtf8(r, utf8("user=thanhhoa&password=th-fuzz-pass"));
        });
        return HostileInput.sometimes(r, request).build();
    }
}
