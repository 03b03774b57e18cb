package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.FreePorts;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/** The province dashboard over HTTP and SSE, as a browser uses it, against a real broker. */
class DashboardIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static KafkaTestCluster cluster;
    private static Topics topics;
    private static Map<String, String> settings;
    private static AlertSinkService sink;

    @BeforeAll
    static void startSink() throws Exception {
        cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        topics = new Topics(cluster.registryClient());
        settings = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "SINK_GROUP_ID", "sink-dashboard-it-" + System.nanoTime(),
                "SINK_HTTP_PORT", "0",
                "SINK_SESSION_KEY", "dashboard-it-session-key",
                "SINK_USERS", "thanhhoa1:th-pass-1:thanh-hoa,thanhhoa2:th-pass-2:thanh-hoa,hanoi1:hn-pass-1:ha-noi,"
                        + "guessed1:gs-pass-1:ha-noi",
                "PROCESSOR_URL", "http://localhost:" + FreePorts.pick()));
        sink = start(settings);
    }

    @AfterAll
    static void stopSink() throws Exception {
        sink.close();
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
        replicaSettings.put("SINK_USERS", settings.get("SINK_USERS").replace("hn-pass-1", "hn-pass-changed"));
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
        assertThat(send(request("/api/v1/dashboard/alerts", null).GET()).statusCode()).isEqualTo(401);
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
        assertThat(lookup.body()).contains("không tra cứu được");
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

    private static final ExecutorService STREAM_READERS = Executors.newCachedThreadPool(reader -> {
        Thread thread = new Thread(reader, "sse-reader");
        thread.setDaemon(true);
        return thread;
    });

    /** Opens the live stream as the browser's EventSource does; its lines arrive in the returned list. */
    private static List<String> stream(String session) {
        List<String> lines = new ArrayList<>();
        double connectedBefore = ServiceProbe.metric(sink.port(), "bhxh_sink_connected_dashboards");
        HTTP.sendAsync(request("/api/v1/dashboard/events", session).header("Accept", "text/event-stream").GET()
                        .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofLines())
                // Async on a thread of its own: reading a live stream never ends, and a plain thenAccept runs on
                // the test's thread whenever the response is already there.
                .thenAcceptAsync(response -> {
                    try (Stream<String> body = response.body()) {
                        body.forEach(line -> {
                            synchronized (lines) {
                                lines.add(line);
                            }
                        });
                    } catch (RuntimeException closed) {
                        // the sink stopped
                    }
                }, STREAM_READERS);
        Eventually.await("the live stream is connected", WITHIN,
                () -> ServiceProbe.metric(sink.port(), "bhxh_sink_connected_dashboards") > connectedBefore);
        return lines;
    }

    private static String joined(List<String> lines) {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    private static void publish(String province, String alertId) throws Exception {
        Alert alert = WebhookDeliveryIT.alert(alertId, province);
        alert.setSampleNotes(List.of("<script>alert('xss')</script> gọi tự xưng BHXH"));
        try (var producer = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                topics.provinceAlerts(province).valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.provinceAlertsName(province), alert.getIndicator(), alert)).get();
        }
    }

    private static HttpRequest.Builder request(String path, String session) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + sink.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (session != null) {
            request.header("Cookie", session);
        }
        return request;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

}
