package vn.bhxh.shield.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaBrokerProcess;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * No accepted report lost: several clients post a steady stream of reports, each with its own Idempotency-Key and
 * a marker of its own (the sourceReference), while the broker (its own process) is stopped with SIGTERM, or killed
 * with SIGKILL, and restarted, or the schema registry is. Then {@code bhxh.reports.v1} is read with read_committed:
 * every request answered 202 is there exactly once, and a request answered 503 (or not at all) has nothing
 * written, or, when its commit reached the broker although the service could not learn it in time, its retry with
 * the same Idempotency-Key answers the same 202 and writes nothing more. After every client retries what was not
 * accepted, each marker is on the topic exactly once. {@code -Dfaults.clients} and {@code -Dfaults.phase.seconds}
 * (4 and 5) set the load and how long each phase (before, during, after the fault) lasts.
 */
class BrokerRestartUnderLoadIT {

    private static final int CLIENTS = Integer.getInteger("faults.clients", 4);
    private static final Duration PHASE = Duration.ofSeconds(Long.getLong("faults.phase.seconds", 5));
    private static final Duration LONG_WAIT = Duration.ofSeconds(120);

    @Test
    void brokerStoppedWithSigtermMidStream() {
        faultMidStream("broker SIGTERM", KafkaBrokerProcess::stop, KafkaBrokerProcess::start);
    }

    @Test
    void brokerKilledWithSigkillMidStream() {
        faultMidStream("broker SIGKILL", KafkaBrokerProcess::kill, KafkaBrokerProcess::start);
    }

    @Test
    void registryRestartedMidStreamWithAWarmAndAColdSchemaCache() {
        try (KafkaBrokerProcess broker = startedBroker();
             IngestService warm = healthyIngest(broker)) {
            Stream stream = new Stream(warm.port(), "registry-" + UUID.randomUUID());
            try {
                stream.awaitAccepted(5);
                broker.stopRegistry();
                // The warm instance knows the schema id already: it goes on accepting without the registry.
                stream.awaitAccepted(stream.accepted() + 5);
                try (IngestService fresh = healthyIngest(broker)) {
                    // A fresh instance must ask the registry for the id: it refuses...
                    String cold = "registry-cold-" + UUID.randomUUID();
                    Sent refused = Stream.post(fresh.port(), cold, UUID.randomUUID().toString());
                    assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                    broker.startRegistry();
                    // ...and wrote nothing (read once the registry is back: the records are Avro).
                    assertThat(written(broker, cold)).isEmpty();
                    Eventually.await("the fresh instance accepts once the registry is back", LONG_WAIT,
                            () -> Stream.post(fresh.port(), cold, refused.key()).status() == 202);
                    assertThat(written(broker, cold)).containsOnlyKeys(cold).allSatisfy((marker, copies) ->
                            assertThat(copies).hasSize(1));
                    System.out.println("[faults] registry down: a fresh instance (no schema id cached) answered 503"
                            + " and wrote nothing; its retry once the registry was back was written once");
                }
                stream.awaitAccepted(stream.accepted() + 5);
            } finally {
                stream.stop();
            }
            verify("registry restart", broker, warm.port(), stream.run(), stream.sent());
        }
    }

    private void faultMidStream(String fault, Consumer<KafkaBrokerProcess> down, Consumer<KafkaBrokerProcess> up) {
        try (KafkaBrokerProcess broker = startedBroker();
             IngestService ingest = healthyIngest(broker)) {
            Stream stream = new Stream(ingest.port(), fault.replace(' ', '-') + "-" + UUID.randomUUID());
            try {
                stream.awaitAccepted(5);
                sleep(PHASE);
                down.accept(broker);
                sleep(PHASE);
                up.accept(broker);
                ServiceProbe.awaitHealthy(ingest.port(), LONG_WAIT);
                stream.awaitAccepted(stream.accepted() + 10);
                sleep(PHASE);
            } finally {
                stream.stop();
            }
            verify(fault, broker, ingest.port(), stream.run(), stream.sent());
        }
    }

    /** The figures, then the promise: accepted means written once; refused means not written, or its retry says so. */
    private static void verify(String fault, KafkaBrokerProcess broker, int port, String run, List<Sent> sent) {
        Map<String, List<Report>> found = written(broker, run);
        long accepted = sent.stream().filter(s -> s.status() == 202).count();
        long refused = sent.stream().filter(s -> s.status() == 503).count();
        long connectionErrors = sent.stream().filter(s -> s.status() == Sent.NO_ANSWER).count();
        List<Sent> other = sent.stream().filter(s -> s.status() != 202 && s.status() != 503
                && s.status() != Sent.NO_ANSWER).toList();
        long lost = sent.stream().filter(s -> s.status() == 202 && copies(found, s) == 0).count();
        long duplicated = found.values().stream().filter(copies -> copies.size() > 1).count();
        List<Sent> committedDespiteRefusal = sent.stream().filter(s -> s.status() != 202 && copies(found, s) > 0)
                .toList();
        System.out.printf("[faults] %s: %d requests, %d 202, %d 503, %d connection errors, %d other; %d records "
                        + "found, %d lost, %d duplicated, %d written although refused%n", fault, sent.size(), accepted,
                refused, connectionErrors, other.size(), found.values().stream().mapToInt(List::size).sum(), lost,
                duplicated, committedDespiteRefusal.size());

        assertThat(other).as("answers other than 202 and 503").isEmpty();
        assertThat(lost).as("accepted but not written").isZero();
        assertThat(duplicated).as("written more than once").isZero();
        sent.stream().filter(s -> s.status() == 202).forEach(s ->
                assertThat(found.get(s.marker())).singleElement().satisfies(report ->
                        assertThat(report.getReportId()).isEqualTo(s.reportId())));
        for (Sent refusedButWritten : committedDespiteRefusal) {
            // The client cannot tell this apart from a refusal: its retry with the same key must get the report.
            Sent retry = Stream.post(port, refusedButWritten.marker(), refusedButWritten.key());
            assertThat(retry.status()).isEqualTo(202);
            assertThat(retry.reportId()).isEqualTo(found.get(refusedButWritten.marker()).get(0).getReportId());
        }

        // Every client retries what was not accepted, with the same key, as Retry-After tells it to.
        sent.stream().filter(s -> s.status() != 202).forEach(s -> Eventually.await("the retry of " + s.marker()
                + " is accepted", LONG_WAIT, () -> Stream.post(port, s.marker(), s.key()).status() == 202));
        Map<String, List<Report>> afterRetries = written(broker, run);
        assertThat(afterRetries.keySet()).containsExactlyInAnyOrderElementsOf(
                sent.stream().map(Sent::marker).collect(Collectors.toSet()));
        assertThat(afterRetries.values()).allSatisfy(copies -> assertThat(copies).hasSize(1));
        // What the processor reads went with each report, in its transaction: its two indicator records (the number
        // and the domain), once each.
        Map<String, Long> copiesPerRecord = IngestFixture.committedIndicatorEvents(broker, event ->
                        event.getSourceReference() != null && event.getSourceReference().startsWith(run)).stream()
                .collect(Collectors.groupingBy(record -> record.value().getReportId() + " " + record.key(),
                        Collectors.counting()));
        assertThat(withoutIndicatorRecords(broker, sent, afterRetries, copiesPerRecord.keySet()))
                .as("reports committed without their indicator records").isEmpty();
        assertThat(copiesPerRecord.values()).as("copies of each indicator record").containsOnly(1L);
        assertThat(copiesPerRecord).hasSize(2 * afterRetries.size());
        assertThat(copiesPerRecord.keySet().stream().map(record -> record.split(" ")[0]).collect(Collectors.toSet()))
                .as("reports with indicator records").containsExactlyInAnyOrderElementsOf(
                        afterRetries.values().stream().map(copies -> copies.get(0).getReportId()).toList());
    }

    /**
     * Each report without an indicator record, and why that may be: its answers, when it happened and was received
     * (the indicator records' timestamp is its event time), whether its records are on the topic read_uncommitted
     * (an aborted transaction), and where the topic's partitions start (records the broker deleted).
     */
    private static List<String> withoutIndicatorRecords(KafkaBrokerProcess broker, List<Sent> sent,
                                                        Map<String, List<Report>> reports, Set<String> records) {
        Set<String> reportsWithRecords = records.stream().map(record -> record.split(" ")[0])
                .collect(Collectors.toSet());
        List<Report> without = reports.values().stream().map(copies -> copies.get(0))
                .filter(report -> !reportsWithRecords.contains(report.getReportId())).toList();
        if (without.isEmpty()) {
            return List.of();
        }
        Set<String> ids = without.stream().map(Report::getReportId).collect(Collectors.toSet());
        Map<String, Long> uncommitted = IngestFixture.uncommittedIndicatorEvents(broker,
                        event -> ids.contains(event.getReportId())).stream()
                .collect(Collectors.groupingBy(record -> record.value().getReportId(), Collectors.counting()));
        String topic = IngestFixture.logExtent(broker, Topics.INDICATOR_EVENTS);
        return without.stream().map(report -> ("%s (%s; answers %s; occurred %s, received %s; %d indicator records"
                        + " read_uncommitted; %s)").formatted(report.getReportId(), report.getSourceReference(),
                sent.stream().filter(s -> s.marker().equals(report.getSourceReference())).map(Sent::status).toList(),
                report.getOccurredAt(), report.getReceivedAt(), uncommitted.getOrDefault(report.getReportId(), 0L),
                topic)).toList();
    }

    private static int copies(Map<String, List<Report>> found, Sent sent) {
        return found.getOrDefault(sent.marker(), List.of()).size();
    }

    private static Map<String, List<Report>> written(KafkaBrokerProcess broker, String run) {
        return IngestFixture.committedReports(broker, report -> report.getSourceReference() != null
                        && report.getSourceReference().startsWith(run)).stream()
                .collect(Collectors.groupingBy(Report::getSourceReference));
    }

    private static KafkaBrokerProcess startedBroker() {
        KafkaBrokerProcess broker = KafkaBrokerProcess.create().start();
        broker.startRegistry();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, Topics.specs());
        } catch (Exception e) {
            broker.close();
            throw new IllegalStateException(e);
        }
        return broker;
    }

    /**
     * Short client timeouts (as in {@link KafkaOutageIT}) so that a refused request takes about 2 s, not 5; no rate
     * limit in the way (with group commit the clients, sharing one token, outrun the fixture's 1,000/s).
     */
    private static IngestService healthyIngest(KafkaBrokerProcess broker) {
        Settings settings = IngestFixture.settings(broker, "faults-" + UUID.randomUUID()).with(Map.of(
                IngestSettings.RATE_PER_SECOND, "1000000",
                "KAFKA_CLIENT_MAX_BLOCK_MS", "2000",
                "KAFKA_CLIENT_REQUEST_TIMEOUT_MS", "1000",
                "KAFKA_CLIENT_DELIVERY_TIMEOUT_MS", "2000"));
        IngestService ingest = IngestService.start(settings);
        ServiceProbe.awaitHealthy(ingest.port(), LONG_WAIT);
        return ingest;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One request: its marker (sourceReference) and Idempotency-Key, and what came back. */
    record Sent(String marker, String key, int status, String reportId) {
        static final int NO_ANSWER = -1;
    }

    /** {@link #CLIENTS} threads posting reports one after another until stopped, each recording every answer. */
    private static final class Stream {

        private static final ObjectMapper JSON = new ObjectMapper();
        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> clients = new ArrayList<>();
        private final String run;

        /** Markers are {@code <run>/<client>-<n>}. */
        Stream(int port, String name) {
            this.run = name + "/";
            for (int c = 0; c < CLIENTS; c++) {
                String client = run + c + "-";
                Thread thread = new Thread(() -> {
                    for (int n = 0; running.get(); n++) {
                        sent.add(post(port, client + n, UUID.randomUUID().toString()));
                    }
                }, "report-client-" + c);
                clients.add(thread);
                thread.start();
            }
        }

        static Sent post(int port, String marker, String key) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/reports"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Authorization", IngestFixture.OPERATOR)
                    .header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(ReportsApiIT.report(marker, "0912345678", "0904038115"),
                            StandardCharsets.UTF_8))
                    .build();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                String reportId = response.statusCode() == 202
                        ? JSON.readTree(response.body()).path("reportId").asText() : null;
                return new Sent(marker, key, response.statusCode(), reportId);
            } catch (IOException e) {
                return new Sent(marker, key, Sent.NO_ANSWER, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Sent(marker, key, Sent.NO_ANSWER, null);
            }
        }

        String run() {
            return run;
        }

        long accepted() {
            synchronized (sent) {
                return sent.stream().filter(s -> s.status() == 202).count();
            }
        }

        void awaitAccepted(long count) {
            Eventually.await(count + " reports accepted", LONG_WAIT, () -> accepted() >= count);
        }

        void stop() {
            running.set(false);
            for (Thread client : clients) {
                try {
                    client.join(Duration.ofSeconds(60).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        List<Sent> sent() {
            synchronized (sent) {
                return List.copyOf(sent);
            }
        }
    }
}
