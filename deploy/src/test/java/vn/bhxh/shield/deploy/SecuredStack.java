package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.hash.Hashing;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import vn.bhxh.shield.ingest.IngestService;
import vn.bhxh.shield.processor.ProcessorService;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.sink.AlertSinkService;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.testkit.SinkUsers;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The three services in this JVM on the shared test cluster, configured as production is (no development mode,
 * every secret set to a known random value), with everything they log captured, a provincial webhook receiver,
 * and one signed-in credential per role. Reports from distinctive reporters (a phone number in several spellings,
 * fanpage senders, police units) have gone through the whole pipeline: a police-confirmed number in Thanh Hóa and
 * one in Hà Nội are listed, alerted and on the partner feed.
 */
final class SecuredStack implements AutoCloseable {

    /** Who calls, as the security matrix names them. */
    enum Role { NONE, OPERATOR, FANPAGE, POLICE, PROVINCE_A, PROVINCE_B, NATIONAL, PARTNER }

    /** The three services, by the name the matrix gives them. */
    enum Service { INGEST, PROCESSOR, SINK }

    /** What a role presents on every request: a bearer token, a session cookie and that session's CSRF token. */
    record Credentials(String bearer, String cookie, String csrf) {
    }

    static final Duration WITHIN = Duration.ofSeconds(120);
    static final String PROVINCE_A = "thanh-hoa";
    static final String PROVINCE_B = "ha-noi";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String run = Long.toString(System.nanoTime(), 36);
    // Secrets: random, so a match in the logs can only come from the service.
    final String operatorToken = secret("operator-token");
    final String policeToken = secret("police-token");
    final String fanpageToken = secret("fanpage-token");
    final String pseudonymKey = secret("pseudonym-key");
    final String ingestSessionKey = secret("ingest-session-key");
    final String fanpageAppSecret = secret("fanpage-app-secret");
    final String verifyToken = secret("fanpage-verify-token");
    final String partnerKey = secret("partner-key");
    final String webhookSecret = secret("webhook-secret");
    final String passwordA = secret("password-a");
    final String passwordB = secret("password-b");
    final String passwordNational = secret("password-national");
    final String sinkSessionKey = secret("sink-session-key");
    final String sinkAppealKey = Base64.getEncoder().encodeToString(UUID.randomUUID().toString().substring(0, 32)
            .getBytes(StandardCharsets.UTF_8));
    final String userA = "thanhhoa-" + run;
    final String userB = "hanoi-" + run;
    final String userNational = "quocgia-" + run;
    /** Credentials a caller got wrong: a mistyped password is as private as the password. */
    final List<String> wrongSecrets = new ArrayList<>();

    // Reporter identities that must never be seen in clear downstream of reporter-ingest.
    final String reporterPhone = "091" + digits(7);
    final List<String> reporterSpellings = spellings(reporterPhone);
    final String fanpageSenderWithMid = "7" + digits(15);
    final String fanpageSenderWithoutMid = "7" + digits(15);
    final String policeUnitA = "Đội An ninh mạng PA05-" + run + " Thanh Hóa";
    final String policeUnitB = "Phòng PC02-" + run + " Hà Nội";
    /** Police case references (the report's and the referral's) and the police token's account name. */
    final String caseReferenceA = "VV-" + run;
    final String caseReferenceB = "HS-" + run;
    final String policeAccount = "c06-" + run;
    /** Also the processor's consumer group. */
    final String processorApplicationId = "access-matrix-processor-" + run;
    /** The referral's note: for investigators, never for partners. */
    final String policeNote = "Ghi chú điều tra " + run + ": nghi phạm dùng nhiều SIM";
    /** Scam numbers the police confirm: one reported in Thanh Hóa, one in Hà Nội. */
    final String numberA = "090" + digits(7);
    final String numberB = "093" + digits(7);
    final String crowdNumber = "097" + digits(7);

    final CapturedLogs logs;
    private final Path stateDir;
    private final HttpServer webhookReceiver;
    final List<String> webhookBodies = Collections.synchronizedList(new ArrayList<>());
    final ProcessorService processor;
    final IngestService ingest;
    final AlertSinkService sink;
    final Map<Role, Credentials> credentials;
    private final ExecutorService streamReaders = Executors.newCachedThreadPool(reader -> {
        Thread thread = new Thread(reader, "sse-reader");
        thread.setDaemon(true);
        return thread;
    });

    SecuredStack() throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        logs = CapturedLogs.start(Map.of(
                "vn.bhxh.shield", Level.DEBUG,
                "io.javalin", Level.DEBUG,
                "org.eclipse.jetty.server", Level.INFO,
                "org.apache.kafka.clients", Level.INFO,
                "org.apache.kafka.common.config", Level.INFO,
                "org.apache.kafka.streams", Level.INFO));
        stateDir = Files.createTempDirectory("access-matrix-processor");
        webhookReceiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        webhookReceiver.createContext("/hook", exchange -> {
            webhookBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhookReceiver.start();

        Map<String, String> kafka = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl());
        processor = ProcessorService.start(Settings.of(kafka).with(Map.of(
                "PROCESSOR_APPLICATION_ID", processorApplicationId,
                "PROCESSOR_STATE_DIR", stateDir.toString(),
                "PROCESSOR_HTTP_PORT", "0")));
        String processorUrl = "http://localhost:" + processor.port();
        ingest = IngestService.start(Settings.of(kafka).with(Map.of(
                "INGEST_HTTP_PORT", "0",
                "INGEST_TOKENS", operatorToken + ":operator:hotline-" + run + "," + policeToken + ":police:" + policeAccount
                        + "," + fanpageToken + ":fanpage:fanpage-" + run,
                "INGEST_PSEUDONYM_KEY", pseudonymKey,
                "INGEST_SESSION_KEY", ingestSessionKey,
                "INGEST_FANPAGE_APP_SECRET", fanpageAppSecret,
                "INGEST_FANPAGE_VERIFY_TOKEN", verifyToken,
                "INGEST_TRANSACTIONAL_ID", "reporter-ingest-matrix-" + run,
                "INGEST_RATE_PER_SECOND", "1000",
                "PROCESSOR_URL", processorUrl)));
        sink = AlertSinkService.start(Settings.of(kafka).with(Map.of(
                "SINK_HTTP_PORT", "0",
                "SINK_GROUP_ID", "access-matrix-sink-" + run,
                "SINK_USERS", SinkUsers.hashed(userA + ":" + passwordA + ":" + PROVINCE_A + "," + userB + ":" + passwordB
                        + ":" + PROVINCE_B + "," + userNational + ":" + passwordNational + ":national"),
                "SINK_SESSION_KEY", sinkSessionKey,
                "SINK_PARTNER_KEYS", "viettel:" + partnerKey,
                "SINK_WEBHOOKS", PROVINCE_A + "=http://localhost:" + webhookReceiver.getAddress().getPort() + "/hook",
                "SINK_WEBHOOK_SECRET_THANH_HOA", webhookSecret,
                "PROCESSOR_URL", processorUrl)).with(Map.of(
                "SINK_APPEAL_KEY", sinkAppealKey,
                // Every role appeals and checks from this one address in the table.
                "SINK_APPEALS_PER_HOUR", "360000000",
                "SINK_CHECKS_PER_MINUTE", "6000000")));
        for (int port : List.of(processor.port(), ingest.port(), sink.port())) {
            ServiceProbe.awaitHealthy(port, WITHIN);
        }
        credentials = Map.of(
                Role.NONE, new Credentials(null, null, null),
                Role.OPERATOR, operatorSession(),
                Role.FANPAGE, new Credentials(fanpageToken, null, null),
                Role.POLICE, new Credentials(policeToken, null, null),
                Role.PROVINCE_A, dashboardSession(userA, passwordA),
                Role.PROVINCE_B, dashboardSession(userB, passwordB),
                Role.NATIONAL, dashboardSession(userNational, passwordNational),
                Role.PARTNER, new Credentials(partnerKey, null, null));
    }

    /** Reports from every kind of reporter, through the whole pipeline to dashboards, webhooks and the feed. */
    void reportThroughThePipeline() {
        for (String spelling : reporterSpellings) {
            assertThat(post(Service.INGEST, "/api/v1/reports", hotlineReport(spelling, crowdNumber), Role.OPERATOR)
                    .statusCode()).isEqualTo(202);
        }
        assertThat(post(Service.INGEST, "/api/v1/reports", policeReport(policeUnitA, numberA), Role.POLICE).statusCode())
                .isEqualTo(202);
        assertThat(post(Service.INGEST, "/api/v1/police/referrals", referral(policeUnitB, numberB), Role.POLICE).statusCode())
                .isEqualTo(202);
        for (String[] message : List.of(new String[] {fanpageSenderWithMid, "m-" + run},
                new String[] {fanpageSenderWithoutMid, null})) {
            String body = messengerPayload(message[0], message[1], "Số " + crowdNumber + " gọi tự xưng BHXH");
            assertThat(send(request(Service.INGEST, "/api/v1/fanpage/webhook", Role.NONE)
                    .header("X-Hub-Signature-256", signature(body))
                    .POST(HttpRequest.BodyPublishers.ofString(body))).statusCode()).isEqualTo(200);
        }
        Eventually.await("both confirmed numbers are on their provinces' dashboards and the partner feed", WITHIN,
                () -> alertId(Role.PROVINCE_A, numberA).isPresent() && alertId(Role.PROVINCE_B, numberB).isPresent()
                        && get(Service.SINK, "/api/v1/blocklist", Role.PARTNER).body().contains(e164(numberA))
                        && get(Service.SINK, "/api/v1/blocklist", Role.PARTNER).body().contains(e164(numberB)));
        Eventually.await("Thanh Hóa's webhook got its alert", WITHIN,
                () -> webhookBodies.stream().anyMatch(body -> body.contains(e164(numberA))));
    }

    // --- requests --------------------------------------------------------------------------------------------

    HttpRequest.Builder request(Service service, String path, Role role) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port(service) + path))
                .timeout(Duration.ofSeconds(30));
        Credentials presented = credentials == null ? new Credentials(null, null, null) : credentials.get(role);
        if (presented.bearer() != null) {
            request.header("Authorization", "Bearer " + presented.bearer());
        }
        if (presented.cookie() != null) {
            request.header("Cookie", presented.cookie());
        }
        if (presented.csrf() != null) {
            request.header("X-CSRF-Token", presented.csrf());
        }
        return request;
    }

    HttpResponse<String> get(Service service, String path, Role role) {
        return send(request(service, path, role).GET());
    }

    HttpResponse<String> post(Service service, String path, String json, Role role) {
        return send(request(service, path, role).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The status of a live stream, which is then closed without reading it. */
    static int streamStatus(HttpRequest.Builder request) {
        try {
            HttpResponse<java.io.InputStream> response = HTTP.send(request.header("Accept", "text/event-stream")
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            return response.statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens a dashboard's live stream as a browser does; its lines arrive in the returned list. */
    List<String> openStream(Role role) {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        double before = ServiceProbe.metric(sink.port(), "bhxh_sink_connected_dashboards");
        HTTP.sendAsync(request(Service.SINK, "/api/v1/dashboard/events", role).header("Accept", "text/event-stream")
                        .timeout(Duration.ofMinutes(10)).GET().build(), HttpResponse.BodyHandlers.ofLines())
                .thenAcceptAsync(response -> {
                    try (Stream<String> body = response.body()) {
                        body.forEach(lines::add);
                    } catch (RuntimeException closed) {
                        // the sink stopped
                    }
                }, streamReaders);
        Eventually.await("the live stream is connected", WITHIN,
                () -> ServiceProbe.metric(sink.port(), "bhxh_sink_connected_dashboards") > before);
        return lines;
    }

    /** The id of the alert about {@code number} on the role's dashboard, if it is there. */
    Optional<String> alertId(Role role, String number) {
        try {
            for (JsonNode alert : JSON.readTree(get(Service.SINK, "/api/v1/dashboard/alerts", role).body())) {
                if (alert.path("indicator").asText().equals(e164(number))) {
                    return Optional.of(alert.path("alertId").asText());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String hotlineReport(String reporterId, String number) {
        return """
                {"channel":"HOTLINE","reporterId":"%s","province":"Thanh Hóa","contactMethod":"CALL",
                 "phoneNumbers":["%s"],"requested":["OTP"]}""".formatted(reporterId, number);
    }

    String policeReport(String unit, String number) {
        return """
                {"channel":"POLICE","reporterId":"%s","province":"Thanh Hóa","contactMethod":"CALL",
                 "phoneNumbers":["%s"],"sourceReference":"%s"}""".formatted(unit, number, caseReferenceA);
    }

    String referral(String unit, String number) {
        return """
                [{"identifier":"%s","caseReference":"%s","unit":"%s","province":"Hà Nội","notes":"%s"}]"""
                .formatted(number, caseReferenceB, unit, policeNote);
    }

    static String messengerPayload(String senderId, String mid, String text) {
        return messengerPayload("1", senderId, mid, text);
    }

    /** A Messenger delivery to the page {@code pageId} (its entry id and the recipient). */
    static String messengerPayload(String pageId, String senderId, String mid, String text) {
        String message = mid == null ? "{\"text\":\"%s\"}".formatted(text)
                : "{\"mid\":\"%s\",\"text\":\"%s\"}".formatted(mid, text);
        return """
                {"object":"page","entry":[{"id":"%s","time":%d,"messaging":[
                  {"sender":{"id":"%s"},"recipient":{"id":"%s"},"timestamp":%d,"message":%s}]}]}"""
                .formatted(pageId, System.currentTimeMillis(), senderId, pageId, System.currentTimeMillis(), message);
    }

    String signature(String body) {
        return "sha256=" + Hashing.hmacSha256(fanpageAppSecret.getBytes(StandardCharsets.UTF_8))
                .hashString(body, StandardCharsets.UTF_8);
    }

    /** A fresh wrong credential, remembered so the log check looks for it too. */
    String wrong(String what) {
        String wrong = secret("wrong-" + what);
        wrongSecrets.add(wrong);
        return wrong;
    }

    /** Every secret the services were given, and the session cookies and CSRF tokens they issued. */
    List<String> secrets() {
        List<String> all = new ArrayList<>(List.of(operatorToken, policeToken, fanpageToken, pseudonymKey, ingestSessionKey,
                fanpageAppSecret, verifyToken, partnerKey, webhookSecret, passwordA, passwordB, passwordNational,
                sinkSessionKey, sinkAppealKey));
        credentials.values().forEach(c -> {
            if (c.cookie() != null) {
                all.add(c.cookie().substring(c.cookie().indexOf('=') + 1));
            }
            if (c.csrf() != null) {
                all.add(c.csrf());
            }
        });
        all.addAll(wrongSecrets);
        return all;
    }

    static String e164(String nationalNumber) {
        return "tel:+84" + nationalNumber.substring(1);
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    int port(Service service) {
        return switch (service) {
            case INGEST -> ingest.port();
            case PROCESSOR -> processor.port();
            case SINK -> sink.port();
        };
    }

    // --- sign-in ---------------------------------------------------------------------------------------------

    /** The operator's token and the browser session it signs in to, with the CSRF token of its form. */
    private Credentials operatorSession() {
        HttpResponse<String> signedIn = send(request(Service.INGEST, "/session", Role.NONE)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + encode(operatorToken))));
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String cookie = cookieOf(signedIn);
        return new Credentials(operatorToken, cookie, csrfOf(send(request(Service.INGEST, "/", Role.NONE)
                .header("Cookie", cookie).GET()).body()));
    }

    private Credentials dashboardSession(String user, String password) {
        String cookie = dashboardCookie(user, password);
        return new Credentials(null, cookie, csrfOf(send(request(Service.SINK, "/", Role.NONE).header("Cookie", cookie).GET())
                .body()));
    }

    String dashboardCookie(String user, String password) {
        HttpResponse<String> signedIn = send(request(Service.SINK, "/login", Role.NONE)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=" + encode(user) + "&password=" + encode(password))));
        assertThat(signedIn.statusCode()).isEqualTo(303);
        return cookieOf(signedIn);
    }

    private static String cookieOf(HttpResponse<String> response) {
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    static String csrfOf(String page) {
        Matcher token = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(page);
        assertThat(token.find()).as("a CSRF token in the page").isTrue();
        return token.group(1);
    }

    // --- identities ------------------------------------------------------------------------------------------

    private String secret(String what) {
        return what + "-" + UUID.randomUUID();
    }

    private static String digits(int count) {
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < count; i++) {
            digits.append(ThreadLocalRandom.current().nextInt(10));
        }
        return digits.toString();
    }

    /** How people write one mobile number: 0912345678, 0912 345 678, 0912.345.678, +84 912 345 678, ... */
    private static List<String> spellings(String number) {
        String rest = number.substring(1);
        String grouped = rest.substring(0, 3) + " " + rest.substring(3, 6) + " " + rest.substring(6);
        return List.of(number, "0" + grouped, number.substring(0, 4) + "." + number.substring(4, 7) + "."
                        + number.substring(7), "+84 " + grouped, "84" + rest, "0084-" + grouped.replace(' ', '-'));
    }

    @Override
    public void close() throws Exception {
        streamReaders.shutdownNow();
        sink.close();
        ingest.close();
        processor.close();
        webhookReceiver.stop(0);
        logs.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }
}
