package vn.bhxh.shield.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.bhxh.shield.ingest.IngestFixture.OPERATOR;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.testkit.KafkaBrokerProcess;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * Throughput of {@code POST /api/v1/reports}, each with its own Idempotency-Key, from concurrent keep-alive clients
 * against an ingest on a broker in its own process. It prints the figures and asserts only that every report was
 * accepted: speed depends on the machine. Not part of the build; run it with
 * {@code mvn -B -pl reporter-ingest -am verify -Dgroups=perf -Dtest=none -Dit.test=ReportsThroughputIT
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false} (optionally
 * {@code -Dperf.clients=8 -Dperf.seconds=30}).
 */
@Tag("perf")
class ReportsThroughputIT {

    private static final int CLIENTS = Integer.getInteger("perf.clients", 8);
    private static final Duration MEASURED = Duration.ofSeconds(Long.getLong("perf.seconds", 30));
    /** JIT compilation, the producer's first transaction and the registry lookups are not what we measure. */
    private static final Duration WARM_UP = Duration.ofSeconds(10);

    private record Run(List<Long> latenciesNanos, long rejected, Duration took) {
    }

    @Test
    void printsRequestsPerSecondAndLatencyOfReports() throws Exception {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.create().start()) {
            broker.startRegistry();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                TopicProvisioner.ensure(admin, Topics.specs());
            }
            var settings = IngestFixture.settings(broker, "perf-" + UUID.randomUUID())
                    .with(Map.of(IngestSettings.RATE_PER_SECOND, String.valueOf(Integer.MAX_VALUE)));
            try (IngestService ingest = IngestService.start(settings)) {
                ServiceProbe.awaitHealthy(ingest.port(), Duration.ofSeconds(60));
                run(ingest.port(), WARM_UP);
                Run measured = run(ingest.port(), MEASURED);

                List<Long> sorted = measured.latenciesNanos().stream().sorted().toList();
                System.out.printf("POST /api/v1/reports: %d keep-alive clients, %d reports in %.1f s: %.0f req/s; "
                                + "latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        CLIENTS, sorted.size(), measured.took().toMillis() / 1000.0,
                        sorted.size() * 1000.0 / measured.took().toMillis(),
                        percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0));
                double transactions = ServiceProbe.metric(ingest.port(), "ingest_transaction_requests_count");
                System.out.printf("group commit: %.0f transactions, %.1f requests per transaction on average%n",
                        transactions, ServiceProbe.metric(ingest.port(), "ingest_transaction_requests_sum")
                                / transactions);
                assertThat(measured.rejected()).as("reports not answered 202").isZero();
                assertThat(sorted).isNotEmpty();
            }
        }
    }

    /** Every client sends one report after the other on its own connection until {@code duration} has passed. */
    private static Run run(int port, Duration duration) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            long[] rejected = new long[CLIENTS];
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                results.add(clients.submit(() -> {
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    List<Long> latencies = new ArrayList<>();
                    while (System.nanoTime() < end) {
                        long sent = System.nanoTime();
                        var response = http.send(request(port), HttpResponse.BodyHandlers.discarding());
                        latencies.add(System.nanoTime() - sent);
                        if (response.statusCode() != 202) {
                            rejected[client]++;
                        }
                    }
                    return latencies;
                }));
            }
            List<Long> latencies = new ArrayList<>();
            for (Future<List<Long>> result : results) {
                latencies.addAll(result.get());
            }
            return new Run(latencies, Arrays.stream(rejected).sum(), Duration.ofNanos(System.nanoTime() - start));
        } finally {
            clients.shutdownNow();
        }
    }

    private static HttpRequest request(int port) {
        String body = ReportsApiIT.report("perf-" + UUID.randomUUID(), "0912345678", "0904038115");
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/reports"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", OPERATOR)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }

    private static double percentile(List<Long> sortedNanos, double fraction) {
        int index = (int) Math.ceil(fraction * sortedNanos.size()) - 1;
        return sortedNanos.get(Math.max(0, index)) / 1e6;
    }
}
