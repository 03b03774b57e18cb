package vn.bhxh.shield.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.bhxh.shield.ingest.IngestFixture.OPERATOR;
import static vn.bhxh.shield.ingest.IngestFixture.json;
import static vn.bhxh.shield.ingest.IngestFixture.post;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.PausableProxy;
import vn.bhxh.shield.testkit.ServiceProbe;

/** Kafka is the only store of idempotency keys: retries, restarts and key reuse. */
class IdempotencyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, String> withKey(String key) {
        Map<String, String> headers = json(OPERATOR);
        headers.put("Idempotency-Key", key);
        return headers;
    }

    @Test
    void theSameKeyThreeTimesAcrossARestartWritesOneReport() throws Exception {
        Settings settings = IngestFixture.settings(KafkaTestCluster.shared(), "ingest-it-" + UUID.randomUUID());
        String reference = "call-" + UUID.randomUUID();
        String body = ReportsApiIT.report(reference, "0912345678", "0994.311.220");
        String key = UUID.randomUUID().toString();

        String firstId;
        try (IngestService ingest = IngestFixture.startHealthy(settings)) {
            var first = post(ingest.port(), "/api/v1/reports", body, withKey(key));
            var second = post(ingest.port(), "/api/v1/reports", body, withKey(key));
            assertThat(first.statusCode()).isEqualTo(202);
            assertThat(second.statusCode()).isEqualTo(202);
            firstId = JSON.readTree(first.body()).get("reportId").asText();
            assertThat(second.body()).isEqualTo(first.body());
        }
        try (IngestService restarted = IngestFixture.startHealthy(settings)) {
            var third = post(restarted.port(), "/api/v1/reports", body, withKey(key));
            assertThat(third.statusCode()).isEqualTo(202);
            assertThat(JSON.readTree(third.body()).get("reportId").asText()).isEqualTo(firstId);
        }
        assertThat(IngestFixture.committedReports(KafkaTestCluster.shared(),
                report -> reference.equals(report.getSourceReference())))
                .singleElement()
                .satisfies(report -> assertThat(report.getReportId()).isEqualTo(firstId));
    }

    /**
     * The ledger's tailer needs Kafka, not the registry: an instance started while the registry accepts connections
     * and never answers still loads the keys, answers a retry from them, and its tailer never fails.
     */
    @Test
    void theLedgerSurvivesAPausedRegistry() throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        String body = ReportsApiIT.report("call-" + UUID.randomUUID(), "0912345678", "0994.311.220");
        String key = UUID.randomUUID().toString();
        String firstId;
        try (IngestService ingest = IngestFixture.startHealthy()) {
            var first = post(ingest.port(), "/api/v1/reports", body, withKey(key));
            assertThat(first.statusCode()).isEqualTo(202);
            firstId = JSON.readTree(first.body()).get("reportId").asText();
        }
        try (PausableProxy registry = PausableProxy.to(cluster.registryUrl())) {
            registry.pause();
            Settings settings = IngestFixture.settings(cluster, "ingest-it-" + UUID.randomUUID())
                    .with(Map.of("SCHEMA_REGISTRY_URL", registry.url()));
            try (IngestService ingest = IngestService.start(settings)) {
                Eventually.await("the ledger loads while the registry does not answer", Duration.ofSeconds(60),
                        () -> checkUp(ingest.port(), "idempotency"));
                assertThat(ServiceProbe.get(ingest.port(), "/health/live").statusCode()).isEqualTo(200);
                var retry = post(ingest.port(), "/api/v1/reports", body, withKey(key));
                assertThat(retry.statusCode()).isEqualTo(202);
                assertThat(JSON.readTree(retry.body()).get("reportId").asText()).isEqualTo(firstId);

                registry.resume();
                var fresh = post(ingest.port(), "/api/v1/reports",
                        ReportsApiIT.report("call-" + UUID.randomUUID(), "0912345678", "0994.311.220"),
                        withKey(UUID.randomUUID().toString()));
                assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(202);
                assertThat(ServiceProbe.metric(ingest.port(), "bhxh_loop_failures_total{loop=\"idempotency-ledger\""))
                        .isZero();
            }
        }
    }

    private static boolean checkUp(int port, String check) {
        try {
            return JSON.readTree(ServiceProbe.get(port, "/health/ready").body()).at("/checks/" + check + "/up")
                    .asBoolean();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aKeyIsSeenByAnotherInstanceAndCannotBeReusedForAnotherReport() throws Exception {
        String key = UUID.randomUUID().toString();
        try (IngestService one = IngestFixture.startHealthy(); IngestService other = IngestFixture.startHealthy()) {
            int known = knownKeys(other);
            var first = post(one.port(), "/api/v1/reports", ReportsApiIT.report("a", "0912345678", "0904038115"),
                    withKey(key));
            assertThat(first.statusCode()).isEqualTo(202);
            Eventually.await("the other instance tails the key", Duration.ofSeconds(10), () -> knownKeys(other) > known);
            var retriedElsewhere = post(other.port(), "/api/v1/reports",
                    ReportsApiIT.report("a", "0912345678", "0904038115"), withKey(key));
            assertThat(retriedElsewhere.body()).isEqualTo(first.body());
            var reused = post(one.port(), "/api/v1/reports", ReportsApiIT.report("b", "0912345678", "0904038115"),
                    withKey(key));
            assertThat(reused.statusCode()).isEqualTo(422);
            assertThat(reused.body()).contains("IDEMPOTENCY_KEY_REUSED");
        }
    }

    private static int knownKeys(IngestService ingest) {
        Matcher count = Pattern.compile("(\\d+) idempotency keys").matcher(ServiceProbe.get(ingest.port(), "/health").body());
        assertThat(count.find()).isTrue();
        return Integer.parseInt(count.group(1));
    }

    /**
     * Retries sent at once, while the first try's transaction is still open and other requests fill the next
     * batches (the requests wait for their commits without holding a server thread, so nothing serialises them
     * but the key): one report, and every retry gets its receipt.
     */
    @Test
    void concurrentRetriesOfOneKeyWriteOneReport() throws Exception {
        String reference = "burst-" + UUID.randomUUID();
        String body = ReportsApiIT.report(reference, "0912345678", "0994.311.220");
        String key = UUID.randomUUID().toString();
        try (IngestService ingest = IngestFixture.startHealthy()) {
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                sent.add(CompletableFuture.supplyAsync(() -> post(ingest.port(), "/api/v1/reports", body, withKey(key)),
                        THREADS));
                // Other reports between the retries, so they meet in different group-commit batches too.
                sent.add(CompletableFuture.supplyAsync(() -> post(ingest.port(), "/api/v1/reports",
                        ReportsApiIT.report("other-" + UUID.randomUUID(), "0912345678", "0904038115"),
                        withKey(UUID.randomUUID().toString())), THREADS));
            }
            List<HttpResponse<String>> answers = sent.stream().map(CompletableFuture::join).toList();
            assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(202));
            List<String> retries = answers.stream().filter(answer -> answer.request().headers()
                    .firstValue("Idempotency-Key").orElseThrow().equals(key)).map(HttpResponse::body).toList();
            assertThat(retries).hasSize(24).containsOnly(retries.get(0));
        }
        assertThat(IngestFixture.committedReports(KafkaTestCluster.shared(),
                report -> reference.equals(report.getSourceReference()))).hasSize(1);
    }

    private static final Executor THREADS = Executors.newFixedThreadPool(16, runnable -> {
        Thread thread = new Thread(runnable, "idempotency-it-client");
        thread.setDaemon(true);
        return thread;
    });

    @Test
    void keysOfDifferentClientsNeverMeet() throws Exception {
        String key = UUID.randomUUID().toString();
        try (IngestService ingest = IngestFixture.startHealthy()) {
            var operator = post(ingest.port(), "/api/v1/reports", ReportsApiIT.report("c", "0912345678", "0904038115"),
                    withKey(key));
            Map<String, String> police = json(IngestFixture.POLICE);
            police.put("Idempotency-Key", key);
            var other = post(ingest.port(), "/api/v1/reports", ReportsApiIT.report("c", "0912345678", "0904038115")
                    .replace("HOTLINE", "POLICE"), police);
            assertThat(other.statusCode()).isEqualTo(202);
            assertThat(JSON.readTree(other.body()).get("reportId").asText())
                    .isNotEqualTo(JSON.readTree(operator.body()).get("reportId").asText());
        }
    }
}
