package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.bhxh.shield.sink.SinkHttp.joined;
import static vn.bhxh.shield.sink.SinkHttp.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.lookup.IndicatorStatus;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.testkit.SinkUsers;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/** The province dashboard over HTTP and SSE, as a browser uses it, against a real broker. */
class DashboardIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KafkaTestCluster cluster;
    private static Topics topics;
    private static Map<String, String> settings;
    private static AlertSinkService sink;
    private static FakeProcessorLookup processor;

    @BeforeAll
    static void startSink() throws Exception {
        processor = new FakeProcessorLookup();
        // The search box passes on what was typed; asked about this, the processor dies mid-request.
        processor.silentAbout("0904 038 115");
        cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        topics = new Topics(cluster.registryClient());
        settings = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "SINK_GROUP_ID", "sink-dashboard-it-" + System.nanoTime(),
                "SINK_HTTP_PORT", "0",
                "SINK_SESSION_KEY", "dashboard-it-session-key",
                "SINK_USERS", SinkUsers.hashed("thanhhoa1:th-pass-1:thanh-hoa,thanhhoa2:th-pass-2:thanh-hoa,"
                        + "hanoi1:hn-pass-1:ha-noi,guessed1:gs-pass-1:ha-noi,quocgia1:qg-pass-1:national"),
                "PROCESSOR_URL", processor.url()));
        sink = start(settings);
    }

    @AfterAll
    static void stopSink() throws Exception {
        sink.close();
        processor.close();
    }

    @Test
    void anOfficeSeesOnlyItsProvinceByApiAndByLiveStream() throws Exception {
        String run = "run" + System.nanoTime();
        String thanhHoa = signIn("thanhhoa1", "th-pass-1");
        String haNoi = signIn("hanoi1", "hn-pass-1");
        List<String> thanhHoaStream = stream(thanhHoa);
        List<String> haNoiStream = stream(haNoi);

        publish("ha-noi", run + "/ha-noi");
        publish("thanh-hoa", run + "/thanh-hoa");

        Eventually.await("both live streams got their province's alert", WITHIN,
                () -> joined(thanhHoaStream).contains(run + "/thanh-hoa") && joined(haNoiStream).contains(run + "/ha-noi"));
        assertThat(joined(thanhHoaStream)).doesNotContain(run + "/ha-noi");
        assertThat(joined(haNoiStream)).doesNotContain(run + "/thanh-hoa");
        assertThat(alertIds(thanhHoa)).contains(run + "/thanh-hoa").doesNotContain(run + "/ha-noi");
        assertThat(alertIds(haNoi)).contains(run + "/ha-noi").doesNotContain(run + "/thanh-hoa");
        assertThat(ServiceProbe.metric(sink.port(), "bhxh_sink_connected_dashboards")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void acknowledgingWritesADecisionThatEveryDashboardOfTheProvinceShows() throws Exception {
        String run = "run" + System.nanoTime();
        String first = signIn("thanhhoa1", "th-pass-1");
        String colleague = signIn("thanhhoa2", "th-pass-2");
        List<String> colleagueStream = stream(colleague);
        publish("thanh-hoa", run + "/1");
        Eventually.await("the alert is on the board", WITHIN, () -> alertIds(first).contains(run + "/1"));

        assertThat(acknowledge(first, run + "/1", null).statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(acknowledge(signIn("hanoi1", "hn-pass-1"), run + "/1", csrf(signIn("hanoi1", "hn-pass-1")))
                .statusCode()).as("another province's alert").isIn(403, 404);
        assertThat(send(request("/api/v1/dashboard/acknowledge", first)
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-CSRF-Token", csrf(first))
                .POST(HttpRequest.BodyPublishers.ofString("alertId=" + URLEncoder.encode(run + "/1",
                        StandardCharsets.UTF_8) + "&indicator=tel%3A%2B84900000002"))).statusCode())
                .as("its own alert under another indicator").isEqualTo(404);
        assertThat(acknowledge(first, run + "/1", csrf(first)).statusCode()).isEqualTo(202);

        Eventually.await("the colleague's dashboard shows it acknowledged", WITHIN,
                () -> joined(colleagueStream).contains("event: ack")
                        && joined(colleagueStream).contains("\"alertId\":\"" + run + "/1\""));
        JsonNode shown = alerts(colleague).stream()
                .filter(a -> a.get("alertId").asText().equals(run + "/1")).findFirst().orElseThrow();
        assertThat(shown.get("acknowledgedBy").asText()).isEqualTo("thanhhoa1");
    }

    @Test
    void officersDecisionsAreWrittenWithTheirNameAndOffice() throws Exception {
        String proposed = freshNumber();
        String listed = freshNumber();
        processor.knows(proposed, IndicatorStatus.Status.NOT_LISTED, List.of("thanh-hoa"));
        processor.knows(listed, IndicatorStatus.Status.LISTED, List.of("thanh-hoa", "ha-noi"));
        String thanhHoa = signIn("thanhhoa1", "th-pass-1");
        String haNoi = signIn("hanoi1", "hn-pass-1");
        String national = signIn("quocgia1", "qg-pass-1");

        HttpResponse<String> confirmed = decide(thanhHoa, csrf(thanhHoa), proposed, "CONFIRM",
                "Đã gọi lại 3 người dân, đúng là giả mạo", "proposal-1");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(202);
        Decision confirm = written(confirmed);
        assertThat(confirm.getAction()).isEqualTo(DecisionAction.CONFIRM);
        assertThat(confirm.getIndicator()).isEqualTo(proposed);
        assertThat(confirm.getActor()).isEqualTo("thanhhoa1");
        assertThat(confirm.getProvince()).isEqualTo("thanh-hoa");
        assertThat(confirm.getReason()).isEqualTo("Đã gọi lại 3 người dân, đúng là giả mạo");
        assertThat(confirm.getAlertId()).isEqualTo("proposal-1");

        Decision reject = written(decide(thanhHoa, csrf(thanhHoa), SinkJson.display(proposed), "REJECT",
                "Số của một cửa hàng, người báo cáo nhầm", null));
        assertThat(reject.getAction()).as("the number as people write it").isEqualTo(DecisionAction.REJECT);
        assertThat(reject.getIndicator()).isEqualTo(proposed);
        assertThat(reject.getAlertId()).isNull();

        Decision delist = written(decide(haNoi, csrf(haNoi), listed, "DELIST", "Chủ thuê bao mới, đã xác minh", null));
        assertThat(delist.getActor()).isEqualTo("hanoi1");
        assertThat(delist.getProvince()).isEqualTo("ha-noi");

        String official = freshNumber(); // a national account needs no lookup: it may act on any indicator
        Decision allowlist = written(decide(national, csrf(national), official, "ALLOWLIST", "Đường dây nóng mới", null));
        assertThat(allowlist.getAction()).isEqualTo(DecisionAction.ALLOWLIST);
        assertThat(allowlist.getActor()).isEqualTo("quocgia1");
        assertThat(allowlist.getProvince()).isNull();
        assertThat(written(decide(national, csrf(national), official, "UNALLOWLIST", "Đường dây đã ngừng", null))
                .getAction()).isEqualTo(DecisionAction.UNALLOWLIST);
    }

    @Test
    void aProvinceOfficerIsRefusedWhatIsNotTheirsToDecide() throws Exception {
        String haNoiOnly = freshNumber();
        String policeListed = freshNumber();
        String unreachable = freshNumber();
        processor.knows(haNoiOnly, IndicatorStatus.Status.NOT_LISTED, List.of("ha-noi"));
        processor.knows(policeListed, IndicatorStatus.Status.CONFIRMED, List.of("thanh-hoa"));
        processor.silentAbout(unreachable);
        String thanhHoa = signIn("thanhhoa1", "th-pass-1");
        String csrf = csrf(thanhHoa);
        String national = signIn("quocgia1", "qg-pass-1");

        assertProblem(decide(thanhHoa, csrf, haNoiOnly, "CONFIRM", "thử", null), 403, "NOT_REPORTED_IN_PROVINCE",
                "ở tỉnh của bạn");
        assertProblem(decide(thanhHoa, csrf, freshNumber(), "CONFIRM", "chưa ai báo cáo", null), 403,
                "NOT_REPORTED_IN_PROVINCE", "ở tỉnh của bạn");
        assertProblem(decide(thanhHoa, csrf, policeListed, "DELIST", "khiếu nại", null), 403, "POLICE_CONFIRMED",
                "công an");
        assertThat(decide(national, csrf(national), policeListed, "DELIST", "KN-2026-7: thuê bao đã đổi chủ", null)
                .statusCode()).as("national delists a police-confirmed listing").isEqualTo(202);
        assertProblem(decide(thanhHoa, csrf, policeListed, "ALLOWLIST", "số của BHXH", null), 403, "NATIONAL_ONLY",
                "cấp quốc gia");
        assertProblem(decide(thanhHoa, csrf, unreachable, "CONFIRM", "giả mạo", null), 503, "LOOKUP_UNAVAILABLE",
                "thử lại");

        assertProblem(decide(thanhHoa, csrf, policeListed, "CONFIRM", " ", null), 400, "REASON_REQUIRED", "lý do");
        assertProblem(decide(thanhHoa, csrf, policeListed, "CONFIRM", "x".repeat(501), null), 400, "REASON_REQUIRED",
                "500");
        assertProblem(decide(thanhHoa, csrf, policeListed, "ACKNOWLEDGE", "đã xem", null), 400,
                "NOT_AN_OFFICER_ACTION", "Xác nhận chặn");
        assertProblem(decide(thanhHoa, csrf, "12345", "CONFIRM", "giả mạo", null), 400, "INVALID_INDICATOR", "12345");
        assertProblem(decide(thanhHoa, csrf, "https://" + "a".repeat(2_100) + ".vn", "CONFIRM", "giả mạo", null), 400,
                "INVALID_INDICATOR", "quá dài");
        assertProblem(decide(thanhHoa, csrf, policeListed, "CONFIRM", "giả mạo", "a".repeat(201)), 400,
                "INVALID_ALERT_ID", "Mã cảnh báo");
        assertProblem(send(request("/api/v1/decisions", thanhHoa).header("X-CSRF-Token", csrf)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("[not json"))),
                400, "BODY_UNREADABLE", "JSON");
        assertProblem(decide(thanhHoa, null, policeListed, "CONFIRM", "giả mạo", null), 403, "CSRF_TOKEN_INVALID",
                "tải lại trang");
        assertProblem(decide(thanhHoa, csrf(signIn("thanhhoa2", "th-pass-2")), policeListed, "CONFIRM", "giả mạo",
                null), 403, "CSRF_TOKEN_INVALID", "tải lại trang");
        assertProblem(decide(null, csrf, policeListed, "CONFIRM", "giả mạo", null), 401, "UNAUTHORIZED",
                "đăng nhập");
    }

    @Test
    void aDecisionShowsLiveOnTheBoardsOfColleaguesAndTheNation() throws Exception {
        String run = "run" + System.nanoTime();
        String indicator = freshNumber();
        processor.knows(indicator, IndicatorStatus.Status.NOT_LISTED, List.of("thanh-hoa"));
        String officer = signIn("thanhhoa1", "th-pass-1");
        String colleague = signIn("thanhhoa2", "th-pass-2");
        String national = signIn("quocgia1", "qg-pass-1");
        List<String> colleagueStream = stream(colleague);
        List<String> nationalStream = stream(national);
        Alert proposal = Alert.newBuilder(WebhookDeliveryIT.alert(run + "/proposal", "thanh-hoa"))
                .setIndicator(indicator).setLevel(AlertLevel.PROPOSED)
                .setSubmittingAccounts(Map.of("operator-7", 4, "page-1234", 1)).setBurstAccount("operator-7").build();
        publish(Topics.provinceAlertsName("thanh-hoa"), proposal);
        publish(Topics.ALERTS_NATIONAL, proposal);
        Eventually.await("the proposal is on both boards", WITHIN,
                () -> alertIds(colleague).contains(run + "/proposal") && alertIds(national).contains(run + "/proposal"));
        JsonNode item = alert(colleague, run + "/proposal");
        assertThat(item.get("review").asBoolean()).isTrue();
        assertThat(item.get("submittingAccounts").get("operator-7").asInt()).isEqualTo(4);
        assertThat(item.get("burstAccount").asText()).isEqualTo("operator-7");
        assertThat(Instant.parse(item.get("overdueAt").asText()))
                .isEqualTo(proposal.getRaisedAt().plus(Duration.ofHours(24)));
        assertThat(item.get("decision").isNull()).isTrue();

        assertThat(decide(officer, csrf(officer), indicator, "CONFIRM", "Xác minh qua 2 cuộc gọi", run + "/proposal")
                .statusCode()).isEqualTo(202);

        for (List<String> board : List.of(colleagueStream, nationalStream)) {
            Eventually.await("an open board shows the outcome", WITHIN, () -> joined(board).lines().anyMatch(line ->
                    line.contains("\"alertId\":\"" + run + "/proposal\"") && line.contains("\"action\":\"CONFIRM\"")
                            && line.contains("\"actor\":\"thanhhoa1\"")));
        }
        JsonNode decided = alert(national, run + "/proposal").get("decision");
        assertThat(decided.get("actor").asText()).isEqualTo("thanhhoa1");
        assertThat(decided.get("province").asText()).isEqualTo("thanh-hoa");
        assertThat(decided.get("reason").asText()).isEqualTo("Xác minh qua 2 cuộc gọi");
    }

    @Test
    void aReopenedDashboardReplaysRecentAlertsFromTheTopics() throws Exception {
        String run = "run" + System.nanoTime();
        publish("thanh-hoa", run + "/before-restart");
        Eventually.await("the alert is on the board", WITHIN,
                () -> alertIds(signIn("thanhhoa1", "th-pass-1")).contains(run + "/before-restart"));
        try (AlertSinkService another = start(settings)) {
            AlertSinkService first = sink;
            sink = another;
            try {
                Eventually.await("a fresh sink replays it", WITHIN,
                        () -> alertIds(signIn("thanhhoa1", "th-pass-1")).contains(run + "/before-restart"));
            } finally {
                sink = first;
            }
        }
    }

    @Test
    void aSessionStartedOnOneReplicaWorksOnAnotherUntilThePasswordChanges() throws Exception {
        String run = "run" + System.nanoTime();
        String session = signIn("thanhhoa1", "th-pass-1");
        String csrf = csrf(session);
        String haNoi = signIn("hanoi1", "hn-pass-1");
        Map<String, String> replicaSettings = new HashMap<>(settings);
        replicaSettings.put("SINK_USERS", Arrays.stream(settings.get("SINK_USERS").split(","))
                .map(entry -> entry.startsWith("hanoi1:") ? SinkUsers.hashed("hanoi1:hn-pass-changed:ha-noi") : entry)
                .collect(Collectors.joining(",")));
        AlertSinkService first = sink;
        try (AlertSinkService replica = start(replicaSettings)) {
            sink = replica;
            try {
                List<String> live = stream(session);
                publish("thanh-hoa", run + "/replica");
                Eventually.await("the replica's API and live stream show the alert", WITHIN,
                        () -> alertIds(session).contains(run + "/replica") && joined(live).contains(run + "/replica"));
                assertThat(csrf(session)).as("the page's CSRF token on the replica").isEqualTo(csrf);
                assertThat(acknowledge(session, run + "/replica", csrf).statusCode()).isEqualTo(202);
                assertThat(send(request("/api/v1/dashboard/alerts", haNoi).GET()).statusCode())
                        .as("a session of a user whose password changed").isEqualTo(401);
            } finally {
                sink = first;
            }
        }
        Eventually.await("the first replica shows the acknowledgement", WITHIN, () -> alerts(session).stream()
                .anyMatch(a -> a.get("alertId").asText().equals(run + "/replica")
                        && a.path("acknowledgedBy").asText().equals("thanhhoa1")));
    }

    @Test
    void signingOutNeedsThePagesCsrfTokenAndClearsTheCookie() {
        String session = signIn("thanhhoa1", "th-pass-1");
        assertThat(signOut(session, "").statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(signOut(session, "csrf=" + csrf(signIn("thanhhoa2", "th-pass-2"))).statusCode())
                .as("another session's CSRF token").isEqualTo(403);

        HttpResponse<String> signedOut = signOut(session, "csrf=" + csrf(session));
        assertThat(signedOut.statusCode()).isEqualTo(303);
        assertThat(signedOut.headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith("bhxh_session=;").contains("Max-Age=0");
        assertThat(signOut(null, "").statusCode()).as("no session, nothing to protect").isEqualTo(303);
        assertThat(send(request("/logout", signIn("thanhhoa1", "th-pass-1"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=x-no-such-charset")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=x"))).statusCode())
                .as("an unreadable sign-out form").isEqualTo(403);
    }

    @Test
    void repeatedWrongPasswordsAreRefusedForAWhileEvenWithTheRightOneThen() {
        for (int i = 0; i < LoginThrottle.FAILURES_PER_USER; i++) {
            assertThat(login("guessed1", "guess-" + i).statusCode()).as("wrong password %d", i).isEqualTo(401);
        }

        HttpResponse<String> refused = login("guessed1", "gs-pass-1");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After").map(Long::parseLong).orElseThrow())
                .isPositive().isLessThanOrEqualTo(LoginThrottle.WINDOW.toSeconds());
        assertThat(refused.body()).contains("Đăng nhập sai quá nhiều lần");
        assertThat(login("hanoi1", "hn-pass-1").statusCode()).as("another user from the same address").isEqualTo(303);
    }

    @Test
    void signInIsRequiredAndTheSearchBoxSaysWhenTheProcessorIsDown() throws Exception {
        for (String signedInOnly : List.of("/api/v1/dashboard/alerts", "/api/v1/dashboard/board",
                "/api/v1/dashboard/board.csv")) {
            assertThat(send(request(signedInOnly, null).GET()).statusCode()).as(signedInOnly).isEqualTo(401);
        }
        assertThat(send(request("/login", null).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=thanhhoa1&password=wrong"))).statusCode())
                .isEqualTo(401);
        HttpResponse<String> page = send(request("/", null).GET());
        assertThat(page.body()).contains("Đăng nhập");

        String session = signIn("thanhhoa1", "th-pass-1");
        assertThat(send(request("/", session).GET()).body()).contains("Cảnh báo giả mạo BHXH", "Thanh Hóa");
        HttpResponse<String> lookup = send(request("/api/v1/dashboard/lookup?indicator="
                + URLEncoder.encode("0904 038 115", StandardCharsets.UTF_8), session).GET());
        assertThat(lookup.statusCode()).isEqualTo(503);
        assertThat(lookup.body()).contains("Không tra cứu được");
    }

    private static AlertSinkService start(Map<String, String> settings) {
        AlertSinkService started = AlertSinkService.start(Settings.of(settings));
        ServiceProbe.awaitHealthy(started.port(), WITHIN);
        return started;
    }

    private static String signIn(String user, String password) {
        HttpResponse<String> response = login(user, password);
        assertThat(response.statusCode()).isEqualTo(303);
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict");
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private static HttpResponse<String> login(String user, String password) {
        return send(request("/login", null).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=" + user + "&password=" + password)));
    }

    private static String csrf(String session) {
        Matcher token = Pattern.compile("name=\"csrf-token\" content=\"([0-9a-f]+)\"")
                .matcher(send(request("/", session).GET()).body());
        assertThat(token.find()).isTrue();
        return token.group(1);
    }

    private static HttpResponse<String> acknowledge(String session, String alertId, String csrf) {
        HttpRequest.Builder request = request("/api/v1/dashboard/acknowledge", session)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("alertId=" + URLEncoder.encode(alertId, StandardCharsets.UTF_8)
                        + "&indicator=" + URLEncoder.encode("tel:+84904038115", StandardCharsets.UTF_8)));
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return send(request);
    }

    private static HttpResponse<String> signOut(String session, String form) {
        return send(request("/logout", session).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private static HttpResponse<String> decide(String session, String csrf, String indicator, String action,
                                               String reason, String alertId) {
        Map<String, String> body = new HashMap<>(Map.of("indicator", indicator, "action", action, "reason", reason));
        if (alertId != null) {
            body.put("alertId", alertId);
        }
        HttpRequest.Builder request = request("/api/v1/decisions", session).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SinkJson.write(body)));
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return send(request);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code, String detail)
            throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("code").asText()).isEqualTo(code);
        assertThat(problem.get("detail").asText()).contains(detail);
    }

    /** The decision the 202 answer names, read back from the decisions topic. */
    private static Decision written(HttpResponse<String> accepted) throws IOException {
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String decisionId = JSON.readTree(accepted.body()).get("decisionId").asText();
        Topic<String, Decision> decisions = topics.decisions();
        try (var consumer = new KafkaConsumer<>(cluster.consumerProps("decisions-it-" + System.nanoTime()),
                decisions.keySerde().deserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DECISIONS));
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    Decision decision;
                    try {
                        decision = decisions.valueSerde().deserializer().deserialize(record.topic(), record.value());
                    } catch (org.apache.kafka.common.errors.SerializationException e) {
                        continue; // another test's garbage on the shared broker
                    }
                    if (decision.getDecisionId().equals(decisionId)) {
                        assertThat(record.key()).isEqualTo(decision.getIndicator());
                        return decision;
                    }
                }
            }
        }
        throw new AssertionError("decision " + decisionId + " not on " + Topics.DECISIONS);
    }

    /** A mobile number no other test uses, as its canonical key. */
    private static String freshNumber() {
        return "tel:+8490" + String.format("%07d", ThreadLocalRandom.current().nextInt(10_000_000));
    }

    private static JsonNode alert(String session, String alertId) {
        return alerts(session).stream().filter(a -> a.get("alertId").asText().equals(alertId)).findFirst()
                .orElseThrow();
    }

    private static List<JsonNode> alerts(String session) {
        try {
            List<JsonNode> alerts = new ArrayList<>();
            JSON.readTree(send(request("/api/v1/dashboard/alerts", session).GET()).body()).forEach(alerts::add);
            return alerts;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> alertIds(String session) {
        return alerts(session).stream().map(a -> a.get("alertId").asText()).toList();
    }

    /** Opens the live stream as the browser's EventSource does; its lines arrive in the returned list. */
    private static List<String> stream(String session) {
        double connectedBefore = ServiceProbe.metric(sink.port(), "bhxh_sink_connected_dashboards");
        List<String> lines = http().streamWithCookie("/api/v1/dashboard/events", session);
        Eventually.await("the live stream is connected", WITHIN,
                () -> ServiceProbe.metric(sink.port(), "bhxh_sink_connected_dashboards") > connectedBefore);
        return lines;
    }

    private static void publish(String province, String alertId) throws Exception {
        Alert alert = WebhookDeliveryIT.alert(alertId, province);
        alert.setSampleNotes(List.of("<script>alert('xss')</script> gọi tự xưng BHXH"));
        publish(Topics.provinceAlertsName(province), alert);
    }

    private static void publish(String topic, Alert alert) throws Exception {
        try (var producer = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                topics.nationalAlerts().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic, alert.getIndicator(), alert)).get();
        }
    }

    /** The sink the test talks to now: {@link #sink} is swapped for a replica or a restarted instance. */
    private static SinkHttp http() {
        return new SinkHttp(sink.port());
    }

    private static HttpRequest.Builder request(String path, String session) {
        return http().requestWithCookie(path, session);
    }
}
