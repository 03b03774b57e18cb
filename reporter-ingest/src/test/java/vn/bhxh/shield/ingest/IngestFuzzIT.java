package vn.bhxh.shield.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.csvField;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.deeplyNested;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.duplicateKey;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.mutateJson;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.nastyText;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.pick;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.randomBytes;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.spliceInvalidUtf8;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.truncate;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.urlJunk;
import static vn.bhxh.shield.testkit.fuzz.HostileInput.utf8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.hash.Hashing;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.testkit.fuzz.FuzzRequest;
import vn.bhxh.shield.testkit.fuzz.HostileInput;
import vn.bhxh.shield.testkit.fuzz.HttpFuzzer;

/**
 * Every reporter-ingest endpoint gets {@code fuzz.requests} (10,000 in the build; {@code -Dfuzz.requests=100000}
 * for a release) generated bad requests: broken, huge, deeply nested or wrongly typed JSON, invalid UTF-8, CSV a
 * spreadsheet would execute, header, path and request-line tricks, with a valid credential (to get past auth into
 * the parsers) and without. No answer may be a 5xx, every API rejection is JSON with a Vietnamese message, and the
 * service is healthy afterwards. The seed ({@code -Dfuzz.seed}) reproduces a run; a failure names the request.
 */
class IngestFuzzIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP_SECRET = IngestSettings.DEVELOPMENT.get(IngestSettings.FANPAGE_APP_SECRET);
    private static final String VERIFY_TOKEN = IngestSettings.DEVELOPMENT.get(IngestSettings.FANPAGE_VERIFY_TOKEN);
    private static final JsonNode HOTLINE_REPORT = HostileInput.parse(ReportsApiIT.report("fuzz", "0912345678",
            "0904038115"));
    /** Valid but for the channel, which the operator may not use: parsed and validated fully, then 403, not written. */
    private static final JsonNode POLICE_CHANNEL_REPORT = HostileInput.parse(HOTLINE_REPORT.toString()
            .replace("\"HOTLINE\"", "\"POLICE\""));
    /** A batch whose rows are all refused (each for another reason) unless a mutation repairs one: few writes. */
    private static final JsonNode REFERRALS = HostileInput.parse("""
            [{"identifier":"0994311220","caseReference":"C06-2026-17","unit":"PA05 Thanh Hóa","province":"atlantis",
              "notes":"xác minh"},
             {"identifier":"not a number","caseReference":"C06-2026-18","unit":"PA05","province":"ha noi"}]""");
    private static final JsonNode MESSENGER = HostileInput.parse("""
            {"object":"page","entry":[{"id":"1","time":1700000000000,"messaging":[
              {"sender":{"id":"6543210987"},"recipient":{"id":"1"},"timestamp":1700000000000,
               "message":{"mid":"m_fuzz","text":"Số 0994 311 201 gọi bảo cài VssID","is_echo":true}}]}]}""");

    private static final JsonNode PAGE_FEED = HostileInput.parse("""
            {"object":"page","entry":[{"id":"1","time":1700000100,"changes":[{"field":"feed","value":{
              "from":{"id":"24","name":"Nguyễn Văn Bình"},"post_id":"1_900","comment_id":"900_901",
              "parent_id":"1_900","created_time":1700000000,"item":"comment","verb":"edited",
              "message":"Số 0994 311 201 gọi bảo cài VssID"}}]}]}""");
    private static final JsonNode ZALO_TEXT = HostileInput.parse("""
            {"app_id":"dev-zalo-app-id","user_id_by_app":"979122185046046317","event_name":"user_send_text",
             "timestamp":"1700000000000","sender":{"id":"6142494823"},"recipient":{"id":"dev-zalo-oa"},
             "message":{"text":"Số 0994 311 201 gọi bảo cài VssID","msg_id":"cb31dff1c39642cc1b83"}}""");

    private static IngestService ingest;
    private static HttpFuzzer fuzzer;
    private static String operatorSession;

    @BeforeAll
    static void start() {
        ingest = IngestFixture.startHealthy(IngestFixture.settings(vn.bhxh.shield.testkit.KafkaTestCluster.shared(),
                "ingest-fuzz-" + UUID.randomUUID()).with(Map.of(IngestSettings.RATE_PER_SECOND, "1000000")));
        fuzzer = new HttpFuzzer(ingest.port());
        // One accepted report first, so that the producer's first transaction (slow on a busy machine) is behind us.
        Eventually.await("a first report is accepted", Duration.ofSeconds(60), () -> IngestFixture.post(ingest.port(),
                "/api/v1/reports", HOTLINE_REPORT.toString(), IngestFixture.json(IngestFixture.OPERATOR))
                .statusCode() == 202);
        var signIn = IngestFixture.post(ingest.port(), "/session", "token=dev-operator-token",
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        operatorSession = signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    @AfterAll
    static void stop() {
        ingest.close();
    }

    /** One endpoint: a name for the tally, a generator, and whether its rejections must be API problems. */
    record Endpoint(String name, Function<Random, FuzzRequest> generator, boolean api) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Endpoint> endpoints() {
        return Stream.of(
                new Endpoint("POST /api/v1/reports", r -> json(r, "/api/v1/reports", IngestFixture.OPERATOR,
                        r.nextInt(10) < 7 ? POLICE_CHANNEL_REPORT : HOTLINE_REPORT), true),
                new Endpoint("POST /api/v1/validate", r -> json(r, "/api/v1/validate", IngestFixture.OPERATOR,
                        HOTLINE_REPORT), true),
                new Endpoint("GET /api/v1/provinces", r -> query(r, "/api/v1/provinces", "q",
                        pick(r, List.of("thanh hoa", "Hà Tây", "tp hcm")), IngestFixture.OPERATOR), true),
                new Endpoint("GET /api/v1/indicators/{key}", IngestFuzzIT::indicator, true),
                new Endpoint("GET /api/v1/fanpage/webhook", IngestFuzzIT::handshake, true),
                new Endpoint("POST /api/v1/fanpage/webhook", r -> fanpageEvent(r, MESSENGER), true),
                new Endpoint("POST /api/v1/fanpage/webhook (feed)", r -> fanpageEvent(r, PAGE_FEED), true),
                new Endpoint("POST /api/v1/zalo-oa/webhook", IngestFuzzIT::zaloEvent, true),
                new Endpoint("POST /api/v1/police/referrals (CSV)", IngestFuzzIT::policeCsv, true),
                new Endpoint("POST /api/v1/police/referrals (JSON)", r -> json(r, "/api/v1/police/referrals",
                        IngestFixture.POLICE, REFERRALS), true),
                new Endpoint("GET / (sign-in and form)", IngestFuzzIT::page, false),
                new Endpoint("POST /session (sign-in)", IngestFuzzIT::signIn, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void noServerErrorAndEveryRejectionIsAClearFourHundred(Endpoint endpoint) {
        HttpFuzzer.Tally tally = fuzzer.run(endpoint.name(), endpoint.generator(),
                endpoint.api() ? IngestFuzzIT::apiProblem : (request, response) -> Optional.empty());

        assertThat(tally.firstViolations()).as(tally.toString()).isEmpty();
        assertThat(tally.serverErrors()).isZero();
        assertThat(tally.requests()).isEqualTo(HttpFuzzer.REQUESTS);
        assertThat(ServiceProbe.get(ingest.port(), "/health").statusCode()).isEqualTo(200);
    }

    /** A 4xx that reached the application is problem+json with a {@code code} and a Vietnamese {@code detail}. */
    private static Optional<String> apiProblem(FuzzRequest request, HttpFuzzer.Response response) {
        if (response.status() < 400) {
            return Optional.empty();
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            String detail = body.path("detail").asText("");
            return body.path("code").isTextual() && isVietnamese(detail) ? Optional.empty()
                    : Optional.of("rejection without a code and a Vietnamese detail");
        } catch (Exception notJson) {
            return Optional.of("rejection that is not JSON");
        }
    }

    static boolean isVietnamese(String text) {
        return text.codePoints().anyMatch(c -> c >= 0x1EA0 && c <= 0x1EF9 || "ăâđêôơưĂÂĐÊÔƠƯ".indexOf(c) >= 0);
    }

    // --- generators: a valid request, then at least one thing wrong with it -------------------------------------

    private static FuzzRequest json(Random r, String path, String authorization, JsonNode valid) {
        FuzzRequest.Builder request = FuzzRequest.of("POST", path).header("Content-Type", "application/json");
        authorise(r, request, authorization);
        request.body(jsonBody(r, valid));
        return HostileInput.sometimes(r, request).build();
    }

    private static byte[] jsonBody(Random r, JsonNode valid) {
        byte[] bytes = valid.toString().getBytes(StandardCharsets.UTF_8);
        return switch (r.nextInt(12)) {
            case 0, 1, 2, 3 -> mutateJson(r, valid).getBytes(StandardCharsets.UTF_8);
            case 4 -> duplicateKey(r, valid).getBytes(StandardCharsets.UTF_8);
            case 5 -> deeplyNested(r, pick(r, List.of(10, 999, 1_500, 50_000))).getBytes(StandardCharsets.UTF_8);
            case 6 -> spliceInvalidUtf8(r, bytes);
            case 7 -> truncate(r, bytes);
            case 8 -> randomBytes(r, r.nextInt(1024));
            case 9 -> pick(r, List.of("", " ", "null", "[]", "{}", "[null]", "\"text\"", "0", "true", "[[]]",
                    "{\"a\":1}{\"b\":2}", "\uFEFF{}", "{\"channel\":\"HOTLINE\"", "[" + "{},".repeat(6000) + "{}]"))
                    .getBytes(StandardCharsets.UTF_8);
            case 10 -> mutateJson(r, HostileInput.parse(mutateJson(r, valid))).getBytes(StandardCharsets.UTF_8);
            default -> r.nextInt(8) == 0 ? huge(r, bytes) : utf8("[" + "\"x\",".repeat(20_000) + "0]"); // wide
        };
    }

    /** Just over an endpoint's limit (64 KiB reports, 1 MiB requests) or far over it. */
    private static byte[] huge(Random r, byte[] valid) {
        int size = pick(r, List.of(70 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024));
        byte[] body = new byte[size];
        System.arraycopy(valid, 0, body, 0, Math.min(valid.length, size));
        java.util.Arrays.fill(body, valid.length, size, (byte) ' ');
        return body;
    }

    private static FuzzRequest policeCsv(Random r) {
        FuzzRequest.Builder request = FuzzRequest.of("POST", "/api/v1/police/referrals")
                .header("Content-Type", "text/csv; charset=utf-8");
        authorise(r, request, IngestFixture.POLICE);
        String header = "identifier,caseReference,unit,province,notes";
        String row = "0994311220,C06-2026-17,PA05 Thanh Hóa,thanh hoa,xác minh";
        String badRow = "không phải số,C06-2026-18,PA05,ha noi,";
        String csv = switch (r.nextInt(12)) {
            case 0 -> header + "\r\n" + badRow + "," + csvField(r) + "\r\n";
            case 1 -> header + "\n" + String.join(",", csvField(r), csvField(r), csvField(r), csvField(r), csvField(r));
            case 2 -> "\uFEFF" + header + "\r\n" + badRow;
            case 3 -> pick(r, List.of("identifier;caseReference;unit;province", "id,case,unit", "", "identifier",
                    "a,a,a,a", ",,,,", "\"identifier\",\"caseReference")) + "\n" + badRow;
            case 4 -> header + "\n" + (badRow + "\n").repeat(pick(r, List.of(5_001, 2)));
            case 5 -> header + "\n\"" + csvField(r) + "\n" + csvField(r) + "\",x,y,z\n";
            case 6 -> header + "\n" + "\"unterminated,quote\n" + badRow;
            case 7 -> header + "\n" + row.replace("xác minh", csvField(r)).replace("0994311220", csvField(r));
            case 8 -> header + "\n" + badRow + ",extra,columns,here\n" + "only,two\n";
            case 10 -> header + "\n" + csvField(r) + "," + nastyText(r) + "," + nastyText(r) + "," + nastyText(r);
            default -> header + "\n" + nastyText(r).repeat(r.nextInt(3) + 1) + "\r" + badRow;
        };
        request.body(csv.getBytes(r.nextInt(20) == 0 ? StandardCharsets.UTF_16 : StandardCharsets.UTF_8));
        switch (r.nextInt(10)) {
            case 0 -> request.body(spliceInvalidUtf8(r, request.body()));
            case 1 -> request.body(truncate(r, request.body()));
            case 2 -> request.body(randomBytes(r, r.nextInt(2048)));
            default -> { }
        }
        return HostileInput.sometimes(r, request).build();
    }

    private static FuzzRequest query(Random r, String path, String name, String valid, String authorization) {
        String value = switch (r.nextInt(5)) {
            case 0 -> URLEncoder.encode(nastyText(r), StandardCharsets.UTF_8);
            case 1 -> urlJunk(r);
            case 2 -> URLEncoder.encode(valid, StandardCharsets.UTF_8) + "&" + name + "=" + urlJunk(r);
            case 3 -> URLEncoder.encode(HostileInput.randomUnicode(r, r.nextInt(300)), StandardCharsets.UTF_8);
            default -> URLEncoder.encode(valid, StandardCharsets.UTF_8);
        };
        FuzzRequest.Builder request = FuzzRequest.of("GET", path + "?" + name + "=" + value);
        authorise(r, request, authorization);
        return HostileInput.sometimes(r, request).build();
    }

    private static FuzzRequest indicator(Random r) {
        String key = switch (r.nextInt(4)) {
            case 0 -> URLEncoder.encode(nastyText(r), StandardCharsets.UTF_8);
            case 1 -> urlJunk(r);
            case 2 -> pick(r, List.of("tel:+84904038115", "domain:example.vn", "bank:VCB:0123456789",
                    "url%3Ahttps%3A%2F%2Fwww.facebook.com%2Fa", "tel:+8490403811", "tel:", "bank:X:1", "domain:.vn"));
            default -> URLEncoder.encode(HostileInput.randomUnicode(r, 1 + r.nextInt(80)), StandardCharsets.UTF_8);
        };
        FuzzRequest.Builder request = FuzzRequest.of("GET", "/api/v1/indicators/" + key);
        authorise(r, request, IngestFixture.OPERATOR);
        return HostileInput.sometimes(r, request).build();
    }

    private static FuzzRequest handshake(Random r) {
        String challenge = URLEncoder.encode(nastyText(r), StandardCharsets.UTF_8);
        String token = r.nextInt(4) == 0 ? VERIFY_TOKEN : URLEncoder.encode(nastyText(r), StandardCharsets.UTF_8);
        String mode = r.nextInt(4) == 0 ? urlJunk(r) : "subscribe";
        String target = pick(r, List.of(
                "/api/v1/fanpage/webhook?hub.mode=" + mode + "&hub.verify_token=" + token + "&hub.challenge=" + challenge,
                "/api/v1/fanpage/webhook?hub.mode=subscribe&hub.verify_token=" + token,
                "/api/v1/fanpage/webhook?hub.challenge=" + challenge + "&hub.challenge=" + urlJunk(r),
                "/api/v1/fanpage/webhook?" + urlJunk(r)));
        return HostileInput.sometimes(r, FuzzRequest.of("GET", target)).build();
    }

    private static FuzzRequest fanpageEvent(Random r, JsonNode seed) {
        FuzzRequest.Builder request = FuzzRequest.of("POST", "/api/v1/fanpage/webhook")
                .header("Content-Type", "application/json");
        byte[] body = jsonBody(r, seed);
        request.body(body);
        int signature = r.nextInt(10);
        if (signature < 7) { // signed with the app secret: past the signature check, into the parser
            request.header("X-Hub-Signature-256", "sha256=" + Hashing.hmacSha256(APP_SECRET.getBytes(
                    StandardCharsets.UTF_8)).hashBytes(body));
        } else if (signature < 9) {
            request.header("X-Hub-Signature-256", pick(r, List.of("sha256=", "sha256=00", "md5=x", nastyText(r),
                    "sha256=" + "f".repeat(64))));
        }
        return HostileInput.sometimes(r, request).build();
    }

    /** Signed as Zalo signs (with the development app id and OA secret key) most of the time, into the parser. */
    private static FuzzRequest zaloEvent(Random r) {
        FuzzRequest.Builder request = FuzzRequest.of("POST", "/api/v1/zalo-oa/webhook")
                .header("Content-Type", "application/json");
        byte[] body = jsonBody(r, ZALO_TEXT);
        request.body(body);
        if (r.nextInt(10) < 7) {
            String timestamp;
            try {
                timestamp = JSON.readTree(body).path("timestamp").asText("");
            } catch (Exception notJson) {
                timestamp = "";
            }
            request.header("X-ZEvent-Signature", "mac=" + Hashing.sha256().newHasher()
                    .putString(ZaloOaSettings.DEVELOPMENT.get(ZaloOaSettings.APP_ID), StandardCharsets.UTF_8)
                    .putBytes(body).putString(timestamp, StandardCharsets.UTF_8)
                    .putString(ZaloOaSettings.DEVELOPMENT.get(ZaloOaSettings.OA_SECRET_KEY), StandardCharsets.UTF_8)
                    .hash());
        } else {
            request.header("X-ZEvent-Signature", pick(r, List.of("mac=", "mac=00", nastyText(r),
                    "mac=" + "f".repeat(64))));
        }
        return HostileInput.sometimes(r, request).build();
    }

    private static FuzzRequest page(Random r) {
        FuzzRequest.Builder request = FuzzRequest.of("GET", pick(r, List.of("/", "/?" + urlJunk(r),
                "/static/form.js", "/static/form.css", "/static/../../pom.xml")));
        request.header("Cookie", switch (r.nextInt(6)) {
            case 0 -> operatorSession;
            case 1 -> operatorSession + "x";
            case 2 -> "bhxh_session=" + nastyText(r).replaceAll("[\\r\\n;]", "");
            case 3 -> "bhxh_session=a.b.c.d; bhxh_session=" + operatorSession.substring(13);
            case 4 -> "bhxh_session=" + "QQ".repeat(2000) + ".OPERATOR.99999999999999999999.00";
            default -> "bhxh_session=" + java.util.Base64.getUrlEncoder().encodeToString(randomBytes(r, 30))
                    + ".OPERATOR.-1." + nastyText(r).replaceAll("[\\r\\n;]", "");
        });
        return HostileInput.sometimes(r, request).build();
    }

    private static FuzzRequest signIn(Random r) {
        FuzzRequest.Builder request = FuzzRequest.of("POST", "/session")
                .header("Content-Type", "application/x-www-form-urlencoded");
        request.body(switch (r.nextInt(6)) {
            case 0 -> utf8("token=" + URLEncoder.encode(nastyText(r), StandardCharsets.UTF_8));
            case 1 -> utf8("token=" + urlJunk(r));
            case 2 -> utf8("token=dev-police-token&token=dev-operator-token");
            case 3 -> randomBytes(r, r.nextInt(512));
            case 4 -> utf8("token=" + "a".repeat(pick(r, List.of(10_000, 1_100_000))));
            default -> spliceInvalidUtf8(r, utf8("token=dev-operator-token"));
        });
        return HostileInput.sometimes(r, request).build();
    }

    /** A valid credential most of the time (to reach the parsers), else none or a wrong one. */
    private static void authorise(Random r, FuzzRequest.Builder request, String valid) {
        int roll = r.nextInt(10);
        if (roll < 7) {
            request.header("Authorization", valid);
        } else if (roll < 8) {
            request.header("Authorization", pick(r, List.of(IngestFixture.FANPAGE, "Bearer wrong-token",
                    IngestFixture.OPERATOR.equals(valid) ? IngestFixture.POLICE : IngestFixture.OPERATOR)));
        } else if (roll < 9) {
            request.header("Cookie", operatorSession);
        }
    }
}
