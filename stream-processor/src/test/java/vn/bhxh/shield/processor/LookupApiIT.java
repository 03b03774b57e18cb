package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.lookup.IndicatorEvidence;
import vn.bhxh.shield.lookup.IndicatorEvidence.ReportEvidence;
import vn.bhxh.shield.lookup.IndicatorStatus;
import vn.bhxh.shield.runtime.ApiDocs;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.OpenApiContract;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.testkit.fuzz.FuzzRequest;
import vn.bhxh.shield.testkit.fuzz.HttpFuzzer;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The lookup API of two running instances that share the indicators' partitions: whichever instance is asked,
 * the answer is the owner's, for phone numbers and for links to pages on a shared platform in every spelling a
 * client may send.
 */
class LookupApiIT {

    private static final int INDICATORS = 16;
    private static final OpenApiContract CONTRACT = OpenApiContract.of(ProcessorService.NAME);
    @TempDir
    static Path stateA;
    @TempDir
    static Path stateB;
    private static ProcessorService first;
    private static ProcessorService second;
    private static String runId;
    /** When every report's contact happened. */
    private static final Instant AT = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MILLIS);

    @BeforeAll
    static void startTwoInstancesAndReport() throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());
        runId = Long.toString(System.nanoTime() % 1_000_000);
        String applicationId = "processor-lookup-" + runId;
        first = RunningProcessor.start(cluster, applicationId, stateA);
        second = RunningProcessor.start(cluster, applicationId, stateB);
        ServiceProbe.awaitHealthy(first.port(), Duration.ofSeconds(90));
        ServiceProbe.awaitHealthy(second.port(), Duration.ofSeconds(90));
        // Forwarding is tested both ways only if each instance owns some of the indicators: wait for the
        // assignment that shares the tasks (the keys are random per run; 16 of them make a one-sided hash unlikely).
        Eventually.await("both instances own some of the indicators", Duration.ofSeconds(60), () ->
                ownersOf(i -> "tel:+84" + phone(i).substring(1)).size() == 2
                        && ownersOf(i -> "url:" + groupPage(i)).size() == 2);

        // Indicator i is reported by 1 + i % 3 reporters, so a wrong instance's or indicator's counts show.
        Instant at = AT;
        try (var producer = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < INDICATORS; i++) {
                for (int reporter = 0; reporter < reporters(i); reporter++) {
                    String id = "lookup-" + runId + "-" + i + "-" + reporter;
                    new IngestedReports(topics).write(producer, Report.newBuilder()
                            .setReportId(id)
                            .setChannel(Channel.HOTLINE)
                            .setReporterPseudonym("lookup-reporter-" + reporter)
                            .setProvince("lao-cai")
                            .setPhoneNumbers(List.of(phone(i)))
                            .setUrls(List.of(groupPage(i)))
                            .setOccurredAt(at)
                            .setReceivedAt(at.plusSeconds(5))
                            .setSubmittedBy("operator-it")
                            .build());
                }
            }
        }
    }

    /** Every documented endpoint answers as the OpenAPI document says, errors included, on either instance. */
    @Test
    void everyAnswerKeepsTheOpenApiDocumentAndEveryDocumentedEndpointIsExercised() {
        for (String path : List.of("/health/live", "/health/ready", "/health", "/metrics", "/no/such/route")) {
            lookup(first.port(), path);
        }
        var problem = lookup(second.port(), "/api/v1/indicators/" + encode("https://www.facebook.com/"));
        assertThat(problem.statusCode()).isEqualTo(400);
        assertThat(problem.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(lookup(first.port(), ApiDocs.SPEC_PATH).body()).isEqualTo(CONTRACT.document().toString());
        assertThat(lookup(first.port(), ApiDocs.UI_PATH).body()).contains("swagger-ui-bundle.js");
        assertThat(lookup(first.port(), ApiDocs.UI_PATH + "/swagger-ui.css").statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
        assertThat(CONTRACT.notExercised()).as("documented endpoints no test called").isEmpty();
    }

    @Test
    void theInstanceThatDoesNotOwnAnIndicatorForwardsToTheOwnerInBothDirections() {
        Set<HostInfo> owners = new HashSet<>();
        for (int i = 0; i < INDICATORS; i++) {
            String key = "tel:+84" + phone(i).substring(1);
            HostInfo owner = first.lookup().owner(key).activeHost();
            assertThat(second.lookup().owner(key).activeHost()).isEqualTo(owner);
            owners.add(owner);
            ProcessorService notOwner = owner.port() == first.port() ? second : first;
            awaitCounts(notOwner, "/api/v1/indicators/" + phone(i), i);
        }
        assertThat(owners).as("the indicators' tasks are spread over both instances").hasSize(2);
    }

    @Test
    void aFanpageLinkIsFoundByItsKeyOrRawUrlInThePathOrAsTheQueryParameter() {
        Set<Integer> askedNonOwner = new HashSet<>();
        for (int i = 0; i < INDICATORS; i++) {
            String key = "url:" + groupPage(i);
            int ownerPort = first.lookup().owner(key).activeHost().port();
            ProcessorService notOwner = ownerPort == first.port() ? second : first;
            askedNonOwner.add(notOwner.port());
            for (String path : List.of(
                    "/api/v1/indicators?q=" + encode(groupPage(i)),
                    "/api/v1/indicators?q=" + encode(key),
                    "/api/v1/indicators/" + encode(key),
                    "/api/v1/indicators/" + encode(groupPage(i)),
                    "/api/v1/indicators/" + key)) {
                assertThat(awaitCounts(notOwner, path, i).indicator()).as(path).isEqualTo(key);
            }
        }
        assertThat(askedNonOwner).as("forwarded from each instance to the other").hasSize(2);

        var missing = lookup(first.port(), "/api/v1/indicators?q="
                + encode("https://www.facebook.com/chua.ai.bao." + runId));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(lookup(first.port(), "/api/v1/indicators?q=").statusCode()).isEqualTo(400);
        assertThat(lookup(second.port(), "/api/v1/indicators?q=" + encode("https://www.facebook.com/"))
                .statusCode()).isEqualTo(400);
        // Jetty refuses bad escapes before Javalin decodes them; they are not URIs the JDK client sends: sent raw.
        for (String badEscape : List.of("%u0041", "%zz", "%C3%28", "%", "%00", "%E0%80%80")) {
            var answer = new HttpFuzzer(first.port()).send(FuzzRequest.of("GET", "/api/v1/indicators/" + badEscape)
                    .build());
            assertThat(answer.status()).as(badEscape).isBetween(400, 499);
        }
    }

    /**
     * Each report named a number and a page together: whichever instance is asked, the number's status links the
     * page, and its evidence (and the page's) is the owner's list of those reports, as the police export reads it.
     */
    @Test
    void theEvidenceAndTheCampaignOfAnIndicatorAreTheOwnersWhicheverInstanceIsAsked() {
        Set<Integer> askedNonOwner = new HashSet<>();
        for (int i = 0; i < INDICATORS; i++) {
            String phoneKey = "tel:+84" + phone(i).substring(1);
            String pageKey = "url:" + groupPage(i);
            ProcessorService notOwner = notOwner(phoneKey);
            askedNonOwner.add(notOwner.port());
            assertThat(awaitCounts(notOwner, "/api/v1/indicators/" + phone(i), i).linked()).containsExactly(
                    new IndicatorStatus.Linked(pageKey, Indicator.parseKey(pageKey).orElseThrow().display(),
                            reporters(i), AT));

            IndicatorEvidence evidence = readEvidence(notOwner, "/api/v1/indicators/" + encode(phoneKey)
                    + "/evidence");
            assertThat(evidence.indicator()).isEqualTo(phoneKey);
            assertThat(evidence.display()).isEqualTo(Indicator.parseKey(phoneKey).orElseThrow().display());
            assertThat(evidence.truncated()).isFalse();
            int indicator = i;
            assertThat(evidence.reports()).hasSize(reporters(i)).allSatisfy(report -> {
                assertThat(report.reportId()).startsWith("lookup-" + runId + "-" + indicator + "-");
                assertThat(report.occurredAt()).isEqualTo(AT);
                assertThat(report.receivedAt()).isEqualTo(AT.plusSeconds(5));
                assertThat(report.province()).isEqualTo("lao-cai");
                assertThat(report.channel()).isEqualTo("HOTLINE");
                assertThat(report.submittedBy()).isEqualTo("operator-it");
                assertThat(report.coIndicators()).containsExactly(pageKey);
            });
            IndicatorEvidence newest = readEvidence(notOwner, "/api/v1/indicators/" + encode(phoneKey)
                    + "/evidence?limit=1");
            assertThat(newest.reports()).singleElement().isEqualTo(evidence.reports().get(reporters(i) - 1));
            assertThat(newest.truncated()).isEqualTo(reporters(i) > 1);

            IndicatorEvidence page = readEvidence(notOwner(pageKey), "/api/v1/indicators/" + encode(groupPage(i))
                    + "/evidence");
            assertThat(page.indicator()).isEqualTo(pageKey);
            assertThat(page.reports()).extracting(ReportEvidence::coIndicators).containsOnly(List.of(phoneKey));
        }
        assertThat(askedNonOwner).as("forwarded from each instance to the other").hasSize(2);

        for (ProcessorService instance : List.of(first, second)) {
            var none = lookup(instance.port(), "/api/v1/indicators/" + encode(phone(99)) + "/evidence");
            assertThat(none.statusCode()).isEqualTo(404);
            assertThat(none.body()).contains("Chưa có báo cáo nào");
        }
        var badLimit = lookup(first.port(), "/api/v1/indicators/" + encode(phone(0)) + "/evidence?limit=0");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(badLimit.body()).contains("LIMIT_INVALID", "số nguyên dương");
    }

    private static ProcessorService notOwner(String key) {
        return first.lookup().owner(key).activeHost().port() == first.port() ? second : first;
    }

    private static IndicatorEvidence readEvidence(ProcessorService instance, String path) {
        var response = lookup(instance.port(), path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        try {
            return JsonSerde.MAPPER.readValue(response.body(), IndicatorEvidence.class);
        } catch (java.io.IOException e) {
            throw new AssertionError("not an IndicatorEvidence: " + response.body(), e);
        }
    }

    /** The answer of {@code instance} once the reports are processed, checked against what was sent. */
    private static IndicatorStatus awaitCounts(ProcessorService instance, String path, int indicator) {
        List<IndicatorStatus> answer = new ArrayList<>();
        Eventually.await(path + " answers the counts of indicator " + indicator, Duration.ofSeconds(90), () -> {
            var response = lookup(instance.port(), path);
            if (response.statusCode() != 200) {
                return false;
            }
            IndicatorStatus status = read(response.body());
            answer.clear();
            answer.add(status);
            return status.last7d().reportCount() == reporters(indicator);
        });
        IndicatorStatus status = answer.get(0);
        assertThat(status.last24h().distinctReporters()).isEqualTo(reporters(indicator));
        assertThat(status.last24h().provinces()).containsExactly("lao-cai");
        return status;
    }

    /** A GET whose answer, whatever it is, must keep the OpenAPI document. */
    private static HttpResponse<String> lookup(int port, String path) {
        return CONTRACT.check(ServiceProbe.get(port, path));
    }

    private static IndicatorStatus read(String body) {
        try {
            return JsonSerde.MAPPER.readValue(body, IndicatorStatus.class);
        } catch (java.io.IOException e) {
            throw new AssertionError("not an IndicatorStatus: " + body, e);
        }
    }

    private static int reporters(int indicator) {
        return 1 + indicator % 3;
    }

    private static Set<Integer> ownersOf(IntFunction<String> key) {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < INDICATORS; i++) {
            int port = first.lookup().owner(key.apply(i)).activeHost().port();
            if (port == first.port() || port == second.port()) { // not -1: metadata not available yet
                ports.add(port);
            }
        }
        return ports;
    }

    private static String phone(int indicator) {
        return String.format("0937%06d", Integer.parseInt(runId) % 10_000 * 100 + indicator);
    }

    /** A page on a shared platform that is no account (a group), so its key is the page's url: with its slashes. */
    private static String groupPage(int indicator) {
        return "https://www.facebook.com/groups/bhxh.gia.mao." + runId + "." + indicator;
    }

    private static String encode(String raw) {
        return URLEncoder.encode(raw, StandardCharsets.UTF_8);
    }
}
