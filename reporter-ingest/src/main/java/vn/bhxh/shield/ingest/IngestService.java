package vn.bhxh.shield.ingest;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.ingest.intake.IdempotencyLedger;
import vn.bhxh.shield.ingest.intake.NoteIdentifiers;
import vn.bhxh.shield.ingest.intake.NoteRedaction;
import vn.bhxh.shield.ingest.intake.ReportIntake;
import vn.bhxh.shield.ingest.intake.ReportPublisher;
import vn.bhxh.shield.ingest.security.ReporterPseudonymiser;
import vn.bhxh.shield.ingest.web.IngestRoutes;
import vn.bhxh.shield.runtime.Backoff;
import vn.bhxh.shield.runtime.Health;
import vn.bhxh.shield.runtime.KafkaConnectivityCheck;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.ServiceHttpServer;
import vn.bhxh.shield.runtime.ServiceLifecycle;
import vn.bhxh.shield.runtime.ServiceLogs;
import vn.bhxh.shield.runtime.ServiceMetrics;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.topic.ReportRecords;
import vn.bhxh.shield.topic.Topics;

/**
 * reporter-ingest: accepts reports from hotline operators, fanpage webhooks and police referrals and publishes
 * them to {@code bhxh.reports.v1} with a transactional (idempotent, acks=all) producer, answering only after Kafka
 * committed each report.
 */
public final class IngestService implements AutoCloseable {

    public static final String NAME = "reporter-ingest";
    public static final String PORT = "INGEST_HTTP_PORT";
    /** Idempotency keys held in memory at most (~600 bytes each): a week of the busiest intake. */
    public static final String IDEMPOTENCY_MAX_KEYS = "INGEST_IDEMPOTENCY_MAX_KEYS";
    /** Identifier spellings whose normalisation is remembered (libphonenumber costs microseconds a call). */
    private static final long IDENTIFIER_MEMO = 20_000;

    private final PrometheusMeterRegistry metrics;
    private final KafkaConnectivityCheck kafka;
    private final ReportPublisher publisher;
    private final IdempotencyLedger ledger;
    private final ServiceHttpServer http;

    private IngestService(Settings settings) {
        IngestSettings ingest = IngestSettings.from(settings);
        KafkaSettings kafkaSettings = KafkaSettings.from(settings);
        Topics topics = new Topics(kafkaSettings.schemaRegistry());
        Clock clock = Clock.systemUTC();
        // Scam numbers repeat from report to report; a reporter's own number and the notes are not kept in a memo.
        Normaliser identifiers = Normaliser.memoising(IDENTIFIER_MEMO);
        Normaliser personal = new Normaliser();
        this.metrics = ServiceMetrics.create(NAME);
        this.kafka = new KafkaConnectivityCheck(kafkaSettings.common(NAME + "-health"));
        this.publisher = new ReportPublisher(kafkaSettings.reliableProducer(NAME), ingest.transactionalId(),
                new ReportRecords(topics, identifiers), topics.ingestIdempotency(), metrics);
        this.ledger = new IdempotencyLedger(kafkaSettings.common(NAME + "-idempotency"), topics.ingestIdempotency(),
                clock, metrics, settings.integer(IDEMPOTENCY_MAX_KEYS, 100_000), Backoff.fromSettings(settings, "INGEST_"));
        ReportIntake intake = new ReportIntake(publisher, ledger,
                new ReporterPseudonymiser(ingest.pseudonymKey(), personal), new NoteRedaction(personal), clock);
        this.http = ServiceHttpServer.start(NAME, settings.integer(PORT, 8080), metrics,
                new Health().ready("kafka", kafka).live("idempotency:live", ledger.liveness())
                        .ready("idempotency", ledger).ready("publisher", publisher),
                new IngestRoutes(ingest, intake, identifiers, new NoteIdentifiers(personal), metrics, clock));
    }

    public static IngestService start(Settings settings) {
        return new IngestService(settings);
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
        publisher.close();
        ledger.close();
        kafka.close();
        metrics.close();
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceLogs.name(NAME);
        ServiceLifecycle.runUntilShutdown(NAME, start(Settings.fromEnvironment()));
    }
}
