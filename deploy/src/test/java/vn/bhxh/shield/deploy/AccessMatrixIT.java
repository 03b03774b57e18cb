package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.bhxh.shield.deploy.SecuredStack.Role.NATIONAL;
import static vn.bhxh.shield.deploy.SecuredStack.Role.NONE;
import static vn.bhxh.shield.deploy.SecuredStack.Role.OPERATOR;
import static vn.bhxh.shield.deploy.SecuredStack.Role.PARTNER;
import static vn.bhxh.shield.deploy.SecuredStack.Role.POLICE;
import static vn.bhxh.shield.deploy.SecuredStack.Role.PROVINCE_A;
import static vn.bhxh.shield.deploy.SecuredStack.Role.PROVINCE_B;
import static vn.bhxh.shield.deploy.SecuredStack.Service.INGEST;
import static vn.bhxh.shield.deploy.SecuredStack.Service.PROCESSOR;
import static vn.bhxh.shield.deploy.SecuredStack.Service.SINK;
import static vn.bhxh.shield.deploy.SecuredStack.e164;
import static vn.bhxh.shield.deploy.SecuredStack.encode;
import static vn.bhxh.shield.deploy.SecuredStack.send;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import vn.bhxh.shield.deploy.SecuredStack.Credentials;
import vn.bhxh.shield.deploy.SecuredStack.Role;
import vn.bhxh.shield.deploy.SecuredStack.Service;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.topic.Topics;

/**
 * Every HTTP endpoint of the three services against every role, as one explicit table ({@link #MATRIX}, read from
 * docs/security.md): {@code ok} is the endpoint's success, {@code login} a page that shows the sign-in form instead,
 * a number the status a refused caller gets (401 nobody recognised, 403 the wrong role, 404 not in its province).
 * Each role presents on every request everything it holds (its bearer token, its session cookie, that session's
 * CSRF token), so a credential of one kind or service used on another is part of every row.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessMatrixIT {

    /**
     * The expected outcome of every request for every role, header and separator first: the table of
     * docs/security.md, "Access matrix", parsed, never computed, so the page people read is the one checked.
     */
    static final List<String> MATRIX = Docs.tableUnder(Docs.read("docs/security.md"), "Access matrix");

    /** How a row is called (the request with the role's credentials, completed by {@code build}) and its success. */
    private record Call(Service service, int okStatus, Kind kind,
                        BiFunction<Role, HttpRequest.Builder, HttpRequest.Builder> build, String path) {
    }

    /**
     * API: the status; PAGE: the page itself, not the sign-in form; STREAM: the status of a live stream, left unread;
     * HEALTH: an answer, up (200) or down (503).
     */
    private enum Kind { API, PAGE, STREAM, HEALTH }

    private static SecuredStack stack;
    private static List<String> streamA;
    private static List<String> streamB;
    private static String alertA;
    private static String blocklistVersion;
    /** Owners' appeals of number A: one whose receipt is looked up, one a national officer keeps. */
    private static String appealReceipt;
    private static String appealToDecide;

    @BeforeAll
    static void start() throws Exception {
        long begin = System.nanoTime();
        stack = new SecuredStack();
        System.out.printf("services healthy after %d ms%n", (System.nanoTime() - begin) / 1_000_000);
        streamA = stack.openStream(PROVINCE_A);
        streamB = stack.openStream(PROVINCE_B);
        stack.reportThroughThePipeline();
        System.out.printf("reports through the pipeline after %d ms%n", (System.nanoTime() - begin) / 1_000_000);
        alertA = stack.alertId(PROVINCE_A, stack.numberA).orElseThrow();
        blocklistVersion = stack.get(SINK, "/api/v1/blocklist", PARTNER).headers()
                .firstValue("X-Blocklist-Version").orElseThrow();
        appealReceipt = ownersAppeal();
        appealToDecide = ownersAppeal();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    @Order(1)
    void everyEndpointAnswersEveryRoleAsTheTableSays() throws IOException {
        Map<String, Call> calls = calls();
        List<String> mismatches = new ArrayList<>();
        List<String> rows = MATRIX.subList(2, MATRIX.size());
        assertThat(rows.stream().map(AccessMatrixIT::label)).as("every call has its row, every row its call")
                .containsExactlyInAnyOrderElementsOf(calls.keySet());
        for (String row : rows) {
            String[] expected = Arrays.stream(row.split("\\|")).skip(2).map(String::strip).toArray(String[]::new);
            assertThat(expected).as(row).hasSize(Role.values().length);
            Call call = calls.get(label(row));
            for (Role role : Role.values()) {
                Observed observed = outcome(call, role);
                if (!observed.outcome().equals(expected[role.ordinal()])) {
                    mismatches.add(label(row) + " as " + role + ": expected " + expected[role.ordinal()]
                            + ", got " + observed.outcome() + " " + observed.body());
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    @Order(2)
    void aCredentialOfOneKindOrServiceNeverOpensAnother() {
        Credentials operator = stack.credentials.get(OPERATOR);
        Credentials provinceA = stack.credentials.get(PROVINCE_A);
        Credentials provinceB = stack.credentials.get(PROVINCE_B);
        String report = stack.hotlineReport(stack.reporterPhone, stack.crowdNumber);

        assertThat(status(INGEST, "/api/v1/reports", report, "Cookie", operator.cookie()))
                .as("operator session without CSRF token").isEqualTo(403);
        assertThat(status(INGEST, "/api/v1/reports", report, "Cookie", operator.cookie(),
                "X-CSRF-Token", provinceA.csrf())).as("operator session with another session's CSRF token")
                .isEqualTo(403);
        assertThat(status(INGEST, "/api/v1/reports", report, "Cookie", operator.cookie(),
                "X-CSRF-Token", operator.csrf())).as("operator session with its CSRF token").isEqualTo(202);
        String forged = operator.cookie().replace(".OPERATOR.", ".POLICE.");
        assertThat(forged).isNotEqualTo(operator.cookie());
        assertThat(status(INGEST, "/api/v1/police/referrals", stack.referral(stack.policeUnitB, stack.numberB),
                "Cookie", forged, "X-CSRF-Token", operator.csrf())).as("operator session altered to police")
                .isEqualTo(401);
        assertThat(status(INGEST, "/api/v1/reports", report, "Authorization", "Bearer " + stack.partnerKey))
                .as("partner key as an ingest token").isEqualTo(401);
        assertThat(status(INGEST, "/api/v1/reports", report, "Cookie", provinceA.cookie(),
                "X-CSRF-Token", provinceA.csrf())).as("dashboard session on reporter-ingest").isEqualTo(401);

        assertThat(status(SINK, "/api/v1/blocklist", null, "Authorization", "Bearer " + stack.operatorToken))
                .as("operator token as a partner key").isEqualTo(401);
        assertThat(status(SINK, "/api/v1/blocklist", null, "Authorization",
                "Bearer " + provinceA.cookie().substring(provinceA.cookie().indexOf('=') + 1)))
                .as("dashboard session id as a partner key").isEqualTo(401);
        assertThat(status(SINK, "/api/v1/dashboard/alerts", null, "Cookie", operator.cookie()))
                .as("reporter-ingest session on the dashboard").isEqualTo(401);
        String acknowledge = "alertId=" + encode(alertA) + "&indicator=" + encode(e164(stack.numberA));
        assertThat(formStatus(acknowledge, "Cookie", provinceA.cookie())).as("acknowledge without CSRF token")
                .isEqualTo(403);
        assertThat(formStatus(acknowledge, "Cookie", provinceA.cookie(), "X-CSRF-Token", provinceB.csrf()))
                .as("acknowledge with another office's CSRF token").isEqualTo(403);
        assertThat(formStatus("alertId=" + encode(alertA) + "&indicator=" + encode(e164(stack.numberB)),
                "Cookie", provinceA.cookie(), "X-CSRF-Token", provinceA.csrf()))
                .as("acknowledging an own alert under another indicator").isEqualTo(404);

        assertThat(send(stack.request(SINK, "/login", NONE).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=" + encode(stack.userA) + "&password="
                        + encode(stack.wrong("dashboard-password"))))).statusCode())
                .as("wrong dashboard password").isEqualTo(401);
        String throwaway = stack.dashboardCookie(stack.userA, stack.passwordA);
        assertThat(status(SINK, "/api/v1/dashboard/alerts", null, "Cookie", throwaway)).isEqualTo(200);
        assertThat(send(stack.request(SINK, "/logout", NONE).header("Cookie", throwaway)
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).as("sign-out without CSRF token")
                .isEqualTo(403);
        assertThat(send(stack.request(INGEST, "/session/end", NONE).header("Cookie", operator.cookie())
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).as("operator sign-out without CSRF token")
                .isEqualTo(403);
        String throwawayCsrf = SecuredStack.csrfOf(send(stack.request(SINK, "/", NONE).header("Cookie", throwaway)
                .GET()).body());
        HttpResponse<String> signedOut = send(stack.request(SINK, "/logout", NONE).header("Cookie", throwaway)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + encode(throwawayCsrf))));
        assertThat(signedOut.statusCode()).isEqualTo(303);
        // Sessions are stateless (any replica checks them): signing out clears the browser's cookie.
        assertThat(signedOut.headers().firstValue("Set-Cookie")).as("a signed-out session's cookie")
                .hasValueSatisfying(cookie -> assertThat(cookie).startsWith("bhxh_session=;").contains("Max-Age=0"));
    }

    @Test
    @Order(3)
    void aProvinceNeverSeesAnotherProvincesAlertsByApiLiveStreamOrSearch() {
        String a = e164(stack.numberA);
        String b = e164(stack.numberB);
        assertThat(stack.alertId(PROVINCE_A, stack.numberB)).as("Hà Nội's alert on Thanh Hóa's board").isEmpty();
        assertThat(stack.alertId(PROVINCE_B, stack.numberA)).as("Thanh Hóa's alert on Hà Nội's board").isEmpty();
        assertThat(stack.alertId(NATIONAL, stack.numberA)).isPresent();
        assertThat(stack.alertId(NATIONAL, stack.numberB)).isPresent();
        assertThat(String.join("\n", List.copyOf(streamA))).contains(a).doesNotContain(b);
        assertThat(String.join("\n", List.copyOf(streamB))).contains(b).doesNotContain(a);

        String alertB = stack.alertId(PROVINCE_B, stack.numberB).orElseThrow();
        Credentials provinceB = stack.credentials.get(PROVINCE_B);
        assertThat(formStatus("alertId=" + encode(alertB) + "&indicator=" + encode(b), "Cookie", provinceB.cookie(),
                "X-CSRF-Token", provinceB.csrf())).isEqualTo(202);
        Eventually.await("the processor recorded Hà Nội's acknowledgement", SecuredStack.WITHIN,
                () -> stack.get(PROCESSOR, "/api/v1/indicators/" + encode(b), NONE).body().contains(stack.userB));
        String searched = stack.get(SINK, "/api/v1/dashboard/lookup?indicator=" + encode(stack.numberB), PROVINCE_A)
                .body();
        assertThat(searched).as("Thanh Hóa searching Hà Nội's number").contains(b, "CONFIRMED")
                .doesNotContain(stack.userB, alertB, "ACKNOWLEDGE");
    }

    @Test
    @Order(10)
    void noSecretIsEverLogged() {
        String report = stack.hotlineReport(stack.reporterPhone, stack.crowdNumber);
        assertThat(status(INGEST, "/api/v1/reports", report, "Authorization", "Bearer " + stack.wrong("token")))
                .isEqualTo(401);
        assertThat(send(stack.request(INGEST, "/session", NONE).header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("token="
                + encode(stack.wrong("sign-in-token"))))).statusCode()).isEqualTo(401);
        assertThat(status(INGEST, "/api/v1/fanpage/webhook?hub.mode=subscribe&hub.challenge=1&hub.verify_token="
                + encode(stack.wrong("verify-token")), null)).isEqualTo(403);
        String message = SecuredStack.messengerPayload(stack.fanpageSenderWithMid, "m-" + UUID.randomUUID(), "hi");
        assertThat(status(INGEST, "/api/v1/fanpage/webhook", message, "X-Hub-Signature-256",
                "sha256=" + stack.wrong("signature"))).isEqualTo(401);
        assertThat(status(SINK, "/api/v1/blocklist", null, "Authorization", "Bearer " + stack.wrong("partner-key")))
                .isEqualTo(401);
        assertThat(status(SINK, "/api/v1/dashboard/alerts", null, "Cookie", "bhxh_session=" + stack.wrong("session")))
                .isEqualTo(401);

        assertThat(stack.logs.containing(" BLOCKED " + e164(stack.numberA) + " on ")).as("the sink's own log lines")
                .isNotEmpty();
        assertThat(stack.logs.containing("ProducerConfig values")).as("the Kafka clients' config dumps").isNotEmpty();
        for (String secret : stack.secrets()) {
            assertThat(stack.logs.containing(secret)).as("log lines holding a secret").isEmpty();
        }
        System.out.printf("%d log lines checked for %d secrets%n", stack.logs.size(), stack.secrets().size());
    }

    @Test
    @Order(11)
    void noReporterIdentityIsInClearOnAnyTopicPageOrFeed() throws Exception {
        List<String> identities = new ArrayList<>(stack.reporterSpellings);
        identities.add("+84" + stack.reporterPhone.substring(1));
        identities.add(stack.reporterPhone.substring(1)); // in every spelling without separators
        identities.addAll(List.of(stack.fanpageSenderWithMid, stack.fanpageSenderWithoutMid, stack.policeUnitA,
                stack.policeUnitB));

        List<String> outputs = new ArrayList<>();
        for (Role office : List.of(PROVINCE_A, PROVINCE_B, NATIONAL)) {
            outputs.add(stack.get(SINK, "/", office).body());
            outputs.add(stack.get(SINK, "/api/v1/dashboard/alerts", office).body());
            for (String number : List.of(stack.numberA, stack.numberB, stack.crowdNumber)) {
                outputs.add(stack.get(SINK, "/api/v1/dashboard/lookup?indicator=" + encode(number), office).body());
            }
        }
        outputs.add(String.join("\n", List.copyOf(streamA)));
        outputs.add(String.join("\n", List.copyOf(streamB)));
        outputs.addAll(List.copyOf(stack.webhookBodies));
        for (String feed : List.of("/api/v1/blocklist", "/api/v1/blocklist?format=csv",
                "/api/v1/blocklist?format=stix", "/api/v1/blocklist/rpz",
                "/api/v1/blocklist/changes?since=" + encode(blocklistVersion))) {
            outputs.add(stack.get(SINK, feed, PARTNER).body());
        }
        for (Service service : Service.values()) {
            outputs.add(stack.get(service, "/metrics", NONE).body());
            outputs.add(stack.get(service, "/health", NONE).body());
        }
        outputs.add(stack.get(INGEST, "/api/v1/indicators/" + encode(e164(stack.crowdNumber)), OPERATOR).body());
        List<String> seen = new ArrayList<>();
        for (String output : outputs) {
            identities.stream().filter(output::contains).forEach(id -> seen.add(id + " in " + output));
        }
        assertThat(outputs).as("what the pages and feeds show").anyMatch(o -> o.contains(e164(stack.numberA)));
        assertThat(seen).as("reporter identities on pages, streams, webhooks and feeds").isEmpty();

        RawTopics.Scan scan = RawTopics.scan(KafkaTestCluster.shared().bootstrapServers(), identities);
        System.out.printf("%d records on %d topics checked for %d reporter identities%n", scan.records(),
                scan.topics().size(), identities.size());
        assertThat(scan.topics())
                .contains(Topics.REPORTS, Topics.INDICATOR_EVENTS, Topics.INGEST_IDEMPOTENCY, Topics.BLOCKLIST)
                .anyMatch(topic -> topic.endsWith("-changelog"));
        assertThat(scan.hits()).as("reporter identities on Kafka").isEmpty();
    }

    /**
     * What partners see carries no staff name, police unit or account, case reference or note: every record of the
     * blocklist topic and every feed format, after a police report and referral (distinctive units, case references
     * and note) and an officer's CONFIRM with a distinctive name and reason.
     */
    @Test
    @Order(12)
    void partnersSeeNoStaffNamePoliceUnitCaseReferenceOrNote() throws Exception {
        String b = e164(stack.numberB);
        String officer = "can-bo-Tran-Thi-Kiem-" + UUID.randomUUID();
        String officerReason = "Hồ sơ nội bộ " + UUID.randomUUID() + ": đã đối chiếu với phòng thanh tra";
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        Topics topics = new Topics(cluster.registryClient());
        try (KafkaProducer<String, Decision> decisions = new KafkaProducer<>(cluster.producerProps(),
                new StringSerializer(), topics.decisions().valueSerde().serializer())) {
            decisions.send(new ProducerRecord<>(Topics.DECISIONS, b, Decision.newBuilder()
                    .setDecisionId(UUID.randomUUID().toString()).setAction(DecisionAction.CONFIRM).setIndicator(b)
                    .setActor(officer).setReason(officerReason).setDecidedAt(Instant.now()).build())).get();
        }
        Eventually.await("the processor recorded the officer's confirmation", SecuredStack.WITHIN,
                () -> stack.get(PROCESSOR, "/api/v1/indicators/" + encode(b), NONE).body().contains(officer));
        // Whatever it wrote for it is appended and committed once the blocklist's end offsets stop moving and no
        // transaction is open (read_committed ends = read_uncommitted ends); then the sink must have read up to there.
        long[][] settled = new long[1][];
        Eventually.await("the processor's blocklist output is committed", SecuredStack.WITHIN, () -> {
            long[] before = blocklistEndOffsets(cluster, "read_uncommitted");
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            long[] after = blocklistEndOffsets(cluster, "read_uncommitted");
            settled[0] = after;
            return Arrays.equals(before, after) && Arrays.equals(after, blocklistEndOffsets(cluster, "read_committed"));
        });
        Eventually.await("the sink read the blocklist up to there", SecuredStack.WITHIN, () -> {
            String[] version = stack.get(SINK, "/api/v1/blocklist", PARTNER).headers()
                    .firstValue("X-Blocklist-Version").orElseThrow().split("\\.");
            return IntStream.range(0, settled[0].length).allMatch(p -> Long.parseLong(version[p]) >= settled[0][p]);
        });

        Map<String, String> feeds = new LinkedHashMap<>();
        for (String feed : List.of("/api/v1/blocklist", "/api/v1/blocklist?format=csv",
                "/api/v1/blocklist/changes?since=" + encode(blocklistVersion))) {
            feeds.put(feed, stack.get(SINK, feed, PARTNER).body());
        }
        assertThat(feeds).allSatisfy((feed, body) -> assertThat(body).as(feed).contains(b));
        List<String> police = List.of(stack.policeUnitA, stack.policeUnitB, stack.policeAccount,
                stack.caseReferenceA, stack.caseReferenceB, stack.policeNote);
        List<String> staff = List.of(officer, officerReason);
        List<String> all = new ArrayList<>(police);
        all.addAll(staff);
        List<String> onBlocklist = RawTopics.scan(cluster.bootstrapServers(), all).hits().stream()
                .filter(hit -> hit.contains(" on " + Topics.BLOCKLIST + "-")).toList();

        // KNOWN RED until the processor's part of issue 13 is merged: main's processor writes the audit into
        // BlocklistEntry.reason ("Cơ quan công an xác nhận ... (c06-x, VV-x)", "Xác nhận bởi <officer>: <reason>"), so
        // both groups fail for every feed and for the topic. The sink renders reason as it is on the topic; the fixed
        // processor writes only the Vietnamese text of reasonCode there.
        SoftAssertions partnersSee = new SoftAssertions();
        feeds.forEach((feed, body) -> {
            partnersSee.assertThat(police.stream().filter(body::contains).toList())
                    .as("police units, accounts, case references and notes in " + feed).isEmpty();
            partnersSee.assertThat(staff.stream().filter(body::contains).toList())
                    .as("the officer's name and reason in " + feed).isEmpty();
        });
        partnersSee.assertThat(onBlocklist).as("police or staff details on " + Topics.BLOCKLIST).isEmpty();
        partnersSee.assertAll();
    }

    /** Every blocklist partition's end offset, as a reader with that isolation level sees it. */
    private static long[] blocklistEndOffsets(KafkaTestCluster cluster, String isolation) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.BLOCKLIST).stream()
                    .map(info -> new TopicPartition(Topics.BLOCKLIST, info.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            return partitions.stream().mapToLong(ends::get).toArray();
        }
    }

    private static int status(Service service, String path, String json, String... headers) {
        HttpRequest.Builder request = stack.request(service, path, NONE);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(json == null ? request.GET() : json(request, json)).statusCode();
    }

    private static int formStatus(String body, String... headers) {
        return send(form(stack.request(SINK, "/api/v1/dashboard/acknowledge", NONE).headers(headers), body))
                .statusCode();
    }

    private static String label(String row) {
        return row.split("\\|")[1].strip();
    }

    /** What a role got: ok, login or the status code, and the start of the body to explain a surprise. */
    private record Observed(String outcome, String body) {
    }

    private Observed outcome(Call call, Role role) {
        HttpRequest.Builder request = call.build().apply(role, stack.request(call.service(), call.path(), role));
        if (call.kind() == Kind.STREAM) {
            int status = SecuredStack.streamStatus(request);
            return new Observed(status == call.okStatus() ? "ok" : Integer.toString(status), "");
        }
        HttpResponse<String> response = send(request);
        boolean page = call.kind() == Kind.PAGE;
        String body = response.body().substring(0, Math.min(response.body().length(), 200));
        if (response.statusCode() == call.okStatus() && (!page || response.body().contains("name=\"csrf-token\""))
                || call.kind() == Kind.HEALTH && response.statusCode() == 503 && response.body().contains("\"checks\"")) {
            return new Observed("ok", body);
        }
        return new Observed(page && response.statusCode() == 200 ? "login" : Integer.toString(response.statusCode()),
                body);
    }

    private Map<String, Call> calls() {
        Map<String, Call> calls = new LinkedHashMap<>();
        BiFunction<Role, HttpRequest.Builder, HttpRequest.Builder> get = (role, request) -> request.GET();
        for (Service service : Service.values()) {
            String name = service == INGEST ? "ingest" : service == PROCESSOR ? "processor" : "sink";
            calls.put(name + " GET /health", new Call(service, 200, Kind.HEALTH, get, "/health"));
            calls.put(name + " GET /metrics", new Call(service, 200, Kind.API, get, "/metrics"));
        }
        String numberA = e164(stack.numberA);

        calls.put("ingest GET / (report form)", new Call(INGEST, 200, Kind.PAGE, get, "/"));
        calls.put("ingest GET /static/form.js", new Call(INGEST, 200, Kind.API, get, "/static/form.js"));
        calls.put("ingest GET /static/police.js", new Call(INGEST, 200, Kind.API, get, "/static/police.js"));
        calls.put("ingest POST /session (sign in with own token)", new Call(INGEST, 303, Kind.API, (role, request) -> {
            String token = stack.credentials.get(role).bearer();
            return form(request, "token=" + encode(token == null ? "" : token));
        }, "/session"));
        calls.put("ingest POST /session/end", new Call(INGEST, 303, Kind.API, (role, request) -> form(request, ""),
                "/session/end"));
        calls.put("ingest POST /api/v1/reports (HOTLINE)", new Call(INGEST, 202, Kind.API,
                (role, request) -> json(request, stack.hotlineReport(stack.reporterSpellings.get(0), stack.crowdNumber)),
                "/api/v1/reports"));
        calls.put("ingest POST /api/v1/reports (POLICE)", new Call(INGEST, 202, Kind.API,
                (role, request) -> json(request, stack.policeReport(stack.policeUnitA, stack.numberA)),
                "/api/v1/reports"));
        calls.put("ingest POST /api/v1/validate", new Call(INGEST, 200, Kind.API,
                (role, request) -> json(request, stack.hotlineReport(stack.reporterPhone, stack.crowdNumber)),
                "/api/v1/validate"));
        calls.put("ingest GET /api/v1/provinces", new Call(INGEST, 200, Kind.API, get, "/api/v1/provinces?q=thanh"));
        calls.put("ingest GET /api/v1/indicators/{key}", new Call(INGEST, 200, Kind.API, get,
                "/api/v1/indicators/" + encode(numberA)));
        calls.put("ingest GET /api/v1/indicators?field=&q=", new Call(INGEST, 200, Kind.API, get,
                "/api/v1/indicators?field=phoneNumbers&q=" + encode(stack.numberA)));
        calls.put("ingest POST /api/v1/police/referrals", new Call(INGEST, 202, Kind.API,
                (role, request) -> json(request, stack.referral(stack.policeUnitB, stack.numberB)),
                "/api/v1/police/referrals"));
        calls.put("ingest GET /api/v1/fanpage/webhook (verify token)", new Call(INGEST, 200, Kind.API, get,
                "/api/v1/fanpage/webhook?hub.mode=subscribe&hub.challenge=42&hub.verify_token="
                        + encode(stack.verifyToken)));
        calls.put("ingest GET /api/v1/fanpage/webhook (own credential)", new Call(INGEST, 200, Kind.API,
                (role, request) -> {
                    String own = stack.credentials.get(role).bearer();
                    return request.uri(java.net.URI.create(request.build().uri().toString()
                            + "&hub.verify_token=" + encode(own == null ? "" : own))).GET();
                }, "/api/v1/fanpage/webhook?hub.mode=subscribe&hub.challenge=42"));
        calls.put("ingest POST /api/v1/fanpage/webhook (signed)", new Call(INGEST, 200, Kind.API, (role, request) -> {
            String body = SecuredStack.messengerPayload(stack.fanpageSenderWithMid, "m-" + UUID.randomUUID(),
                    "Số " + stack.crowdNumber + " gọi tự xưng BHXH");
            return json(request, body).header("X-Hub-Signature-256", stack.signature(body));
        }, "/api/v1/fanpage/webhook"));
        calls.put("ingest POST /api/v1/fanpage/webhook (unsigned)", new Call(INGEST, 200, Kind.API,
                (role, request) -> json(request, SecuredStack.messengerPayload(stack.fanpageSenderWithMid,
                        "m-" + UUID.randomUUID(), "Số " + stack.crowdNumber)),
                "/api/v1/fanpage/webhook"));

        calls.put("processor GET /api/v1/indicators/{key}", new Call(PROCESSOR, 200, Kind.API, get,
                "/api/v1/indicators/" + encode(numberA)));
        calls.put("processor GET /api/v1/indicators?q=", new Call(PROCESSOR, 200, Kind.API, get,
                "/api/v1/indicators?q=" + encode(stack.numberA)));
        calls.put("processor GET /api/v1/indicators/{key}/evidence", new Call(PROCESSOR, 200, Kind.API, get,
                "/api/v1/indicators/" + encode(numberA) + "/evidence"));

        calls.put("sink GET / (dashboard)", new Call(SINK, 200, Kind.PAGE, get, "/"));
        calls.put("sink GET /dashboard.js", new Call(SINK, 200, Kind.API, get, "/dashboard.js"));
        calls.put("sink GET /api/v1/dashboard/alerts", new Call(SINK, 200, Kind.API, get, "/api/v1/dashboard/alerts"));
        calls.put("sink GET /api/v1/dashboard/events (SSE)", new Call(SINK, 200, Kind.STREAM, get,
                "/api/v1/dashboard/events"));
        calls.put("sink GET /api/v1/dashboard/board", new Call(SINK, 200, Kind.API, get, "/api/v1/dashboard/board"));
        calls.put("sink GET /api/v1/dashboard/board.csv", new Call(SINK, 200, Kind.API, get,
                "/api/v1/dashboard/board.csv"));
        calls.put("sink GET /vendor/chart.umd.min.js", new Call(SINK, 200, Kind.API, get, "/vendor/chart.umd.min.js"));
        calls.put("sink GET /trends.js", new Call(SINK, 200, Kind.API, get, "/trends.js"));
        calls.put("sink GET /api/v1/dashboard/trends", new Call(SINK, 200, Kind.API, get, "/api/v1/dashboard/trends"));
        calls.put("sink GET /api/v1/dashboard/evidence", new Call(SINK, 200, Kind.API, get,
                "/api/v1/dashboard/evidence?format=json&indicator=" + encode(stack.numberA)));
        calls.put("sink GET /api/v1/dashboard/lookup", new Call(SINK, 200, Kind.API, get,
                "/api/v1/dashboard/lookup?indicator=" + encode(stack.numberA)));
        calls.put("sink POST /api/v1/dashboard/acknowledge (A's alert)", new Call(SINK, 202, Kind.API,
                (role, request) -> form(request, "alertId=" + encode(alertA) + "&indicator=" + encode(numberA)),
                "/api/v1/dashboard/acknowledge"));
        // A's indicator, reported only in Thanh Hóa; REJECT closes a proposal, so the police listing stays as it is.
        calls.put("sink POST /api/v1/decisions (REJECT A's indicator)", new Call(SINK, 202, Kind.API,
                (role, request) -> json(request, "{\"indicator\":\"" + numberA + "\",\"action\":\"REJECT\","
                        + "\"reason\":\"access matrix\"}"), "/api/v1/decisions"));
        // A number nobody reported: allowlisting it changes no listing.
        String unreported = e164("090" + String.format("%07d", ThreadLocalRandom.current().nextInt(10_000_000)));
        calls.put("sink POST /api/v1/decisions (ALLOWLIST)", new Call(SINK, 202, Kind.API,
                (role, request) -> json(request, "{\"indicator\":\"" + unreported + "\",\"action\":\"ALLOWLIST\","
                        + "\"reason\":\"access matrix\"}"), "/api/v1/decisions"));
        calls.put("sink GET /api/v1/blocklist", new Call(SINK, 200, Kind.API, get, "/api/v1/blocklist"));
        calls.put("sink GET /api/v1/blocklist?format=csv", new Call(SINK, 200, Kind.API, get,
                "/api/v1/blocklist?format=csv"));
        calls.put("sink GET /api/v1/blocklist/changes", new Call(SINK, 200, Kind.API, get,
                "/api/v1/blocklist/changes?since=" + encode(blocklistVersion)));
        calls.put("sink GET /api/v1/blocklist/rpz", new Call(SINK, 200, Kind.API, get, "/api/v1/blocklist/rpz"));
        calls.put("sink POST /api/v1/blocklist/lookup", new Call(SINK, 200, Kind.API,
                (role, request) -> json(request, "[\"" + numberA + "\"]"), "/api/v1/blocklist/lookup"));
        calls.put("sink GET /api/v1/do-not-originate", new Call(SINK, 200, Kind.API, get,
                "/api/v1/do-not-originate"));
        calls.put("sink GET /khieu-nai (owners' appeal page)", new Call(SINK, 200, Kind.API, get, "/khieu-nai"));
        calls.put("sink GET /appeal.js", new Call(SINK, 200, Kind.API, get, "/appeal.js"));
        calls.put("sink GET /kiem-tra (citizen check page)", new Call(SINK, 200, Kind.API, get, "/kiem-tra"));
        calls.put("sink GET /citizen-check.js", new Call(SINK, 200, Kind.API, get, "/citizen-check.js"));
        calls.put("sink GET /api/v1/check", new Call(SINK, 200, Kind.API, get, "/api/v1/check?q=0904.038.115"));
        calls.put("sink POST /api/v1/appeals (listed indicator)", new Call(SINK, 201, Kind.API,
                (role, request) -> json(request, appealBody()), "/api/v1/appeals"));
        calls.put("sink GET /api/v1/appeals/{receipt}", new Call(SINK, 200, Kind.API, get,
                "/api/v1/appeals/" + appealReceipt));
        calls.put("sink GET /appeals.js", new Call(SINK, 200, Kind.API, get, "/appeals.js"));
        calls.put("sink GET /api/v1/dashboard/appeals", new Call(SINK, 200, Kind.API, get, "/api/v1/dashboard/appeals"));
        calls.put("sink GET /api/v1/dashboard/appeals/events (SSE)", new Call(SINK, 200, Kind.STREAM, get,
                "/api/v1/dashboard/appeals/events"));
        calls.put("sink POST /api/v1/dashboard/appeals/{id}/decision", new Call(SINK, 202, Kind.API,
                (role, request) -> json(request, "{\"action\":\"KEEP\",\"reason\":\"Công an đã xác nhận số này.\"}"),
                "/api/v1/dashboard/appeals/" + appealToDecide + "/decision"));
        return calls;
    }

    /** The owner of number A asks for a review on the public page: the receipt. */
    private static String ownersAppeal() throws IOException {
        HttpResponse<String> appeal = send(json(stack.request(SINK, "/api/v1/appeals", NONE), appealBody()));
        assertThat(appeal.statusCode()).as(appeal.body()).isEqualTo(201);
        return new ObjectMapper().readTree(appeal.body()).get("receipt").asText();
    }

    private static String appealBody() {
        return """
                {"indicator":"%s","contact":"0912 345 678","explanation":"Số của cửa hàng tôi, không phải lừa đảo."}"""
                .formatted(stack.numberA);
    }

    private static HttpRequest.Builder form(HttpRequest.Builder request, String body) {
        return request.header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpRequest.Builder json(HttpRequest.Builder request, String body) {
        return request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }
}
