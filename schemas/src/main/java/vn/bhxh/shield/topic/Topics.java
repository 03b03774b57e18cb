package vn.bhxh.shield.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.Appeal;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DoNotOriginateEntry;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.schema.WeeklyTrend;
import vn.bhxh.shield.serde.AvroSerde;
import vn.bhxh.shield.registry.SchemaRegistry;

/**
 * Every topic of the product, in one place: names, partitions and configs ({@link #specs()}), and the typed
 * {@link Topic}s with their serdes. Keys are plain strings (report id, canonical indicator); values are Avro in
 * the Confluent wire format, subject {@code <topic>-value}.
 */
public final class Topics {

    public static final String REPORTS = "bhxh.reports.v1";
    public static final String ALERTS_NATIONAL = "bhxh.alerts.national.v1";
    public static final String BLOCKLIST = "bhxh.blocklist.v1";
    public static final String DECISIONS = "bhxh.decisions.v1";
    /**
     * One record per canonical indicator of each report, written by ingest in the report's transaction: key = the
     * indicator, so it is co-partitioned with {@link #DECISIONS} and the processor reads both without a repartition.
     * Derived data: {@link #REPORTS} stays the system of record, and this is re-derived from it when the normaliser
     * changes (runbook: reprocessing when the normaliser changes).
     */
    public static final String INDICATOR_EVENTS = "bhxh.indicator-events.v1";
    public static final String ALLOWLIST = "bhxh.allowlist.v1";
    /**
     * Do-Not-Originate: the official BHXH numbers that only receive calls (the allowlist's inbound-only numbers,
     * such as the 1900 9068 service number). A call presenting one of these numbers as caller id is spoofed: block
     * or flag it. Key = the canonical {@code tel:} indicator, a tombstone when a number leaves the list. Written by
     * the processor from the reviewed seed file {@code official-channels.csv} at every start, never by a decision;
     * telecom partners read it here or from the sink's {@code GET /api/v1/do-not-originate}.
     */
    public static final String DO_NOT_ORIGINATE = "bhxh.do-not-originate.v1";
    public static final String DEAD_LETTER = "bhxh.deadletter.v1";
    /** Owners' appeals, written and read only by alert-sink: key = appeal id, value = the appeal's current state. */
    public static final String APPEALS = "bhxh.appeals.v1";
    /**
     * reporter-ingest's idempotency records: key = scoped Idempotency-Key (hashed), value = the receipt as JSON.
     * Written in the same transaction as the report, so a key is recorded if and only if its report is.
     */
    public static final String INGEST_IDEMPOTENCY = "bhxh.ingest.idempotency.v1";
    /**
     * Alerts handed back to one webhook endpoint by the re-send tool: the original alert record's bytes (key,
     * Avro value with its schema id, headers) plus a {@code bhxh-webhook-endpoint-id} header naming the endpoint.
     * Each endpoint's delivery loop reads it beside its alert topic, so signing and secrets stay in the sink.
     * Not under {@code bhxh.alerts.}: the alert router and the provinces' users must not see it.
     */
    public static final String WEBHOOK_REDELIVERY = "bhxh.webhooks.redelivery.v1";
    /**
     * Weekly counts of reports (per province, kind of indicator, what was asked), written by the processor's
     * {@code WeeklyTrendCounter}: key {@code <ISO week>/<partition>} (e.g. {@code 2026-W49/2}), one record per week
     * and partition of {@link #INDICATOR_EVENTS}, which readers sum; a tombstone when the week is no longer kept.
     */
    public static final String TRENDS = "bhxh.trends.v1";

    /** Matches every alert topic, the 34 provincial ones and the national one. */
    public static final Pattern ALL_ALERTS = Pattern.compile("bhxh\\.alerts\\.[a-z-]+\\.v1");

    // Reports are the source of truth to reprocess from; a listing lives 90 days after its last report, so
    // keeping them that long lets the processor rebuild every live listing from scratch.
    private static final Duration REPORT_RETENTION = Duration.ofDays(90);
    // Dashboards replay 7 days; a month leaves room for a province office back from a long holiday.
    private static final Duration ALERT_RETENTION = Duration.ofDays(30);
    private static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);
    // A re-send is delivered within the endpoint's retry budget (a day by default) or dead-lettered again.
    private static final Duration REDELIVERY_RETENTION = Duration.ofDays(7);
    // Decisions are the audit trail of who delisted or confirmed what: kept for a year, never compacted away.
    private static final Duration DECISION_RETENTION = Duration.ofDays(365);
    // A partner offline longer than this may miss a tombstone and must rebuild from the start of the topic.
    private static final Duration TOMBSTONE_RETENTION = Duration.ofDays(7);
    // Clients retry within minutes (Facebook for up to a day); a week bounds the topic that ingest reads at
    // start-up while covering any sane retry. Compaction keeps one record per key until then.
    private static final Duration IDEMPOTENCY_RETENTION = Duration.ofDays(7);
    // An appeal holds the appellant's (sealed) contact: kept a year after its last change, like the decisions that
    // answer it, then deleted (Decree 13: no longer than needed). Compaction keeps only its current state.
    private static final Duration APPEAL_RETENTION = Duration.ofDays(365);

    private static final int REPORT_PARTITIONS = 6;
    private static final int BLOCKLIST_PARTITIONS = 6;
    // Decisions and indicator events are both keyed by indicator and read by the same processor task: the same
    // partition count (and the default partitioner) puts an indicator's decisions and reports in the same task.
    // Three, as the decisions topic already had, so no existing topic changes. Raising it is a migration, not a
    // config change: records already written stay where the old count put their keys, so it takes new versions
    // of both topics, re-derived and copied (docs/runbook.md, "Scaling out").
    private static final int INDICATOR_PARTITIONS = 3;

    private final Serde<String> keys = Serdes.String();
    private final Serde<Report> reportValues;
    private final Serde<Alert> alertValues;
    private final Serde<BlocklistEntry> blocklistValues;
    private final Serde<Decision> decisionValues;
    private final Serde<IndicatorEvent> indicatorEventValues;
    private final Serde<AllowlistEntry> allowlistValues;
    private final Serde<DoNotOriginateEntry> doNotOriginateValues;
    private final Serde<DeadLetter> deadLetterValues;
    private final Serde<Appeal> appealValues;
    private final Serde<WeeklyTrend> trendValues;

    public Topics(SchemaRegistry registry) {
        this.reportValues = new AvroSerde<>(registry, Report.class);
        this.alertValues = new AvroSerde<>(registry, Alert.class);
        this.blocklistValues = new AvroSerde<>(registry, BlocklistEntry.class);
        this.decisionValues = new AvroSerde<>(registry, Decision.class);
        this.indicatorEventValues = new AvroSerde<>(registry, IndicatorEvent.class);
        this.allowlistValues = new AvroSerde<>(registry, AllowlistEntry.class);
        this.doNotOriginateValues = new AvroSerde<>(registry, DoNotOriginateEntry.class);
        this.deadLetterValues = new AvroSerde<>(registry, DeadLetter.class);
        this.appealValues = new AvroSerde<>(registry, Appeal.class);
        this.trendValues = new AvroSerde<>(registry, WeeklyTrend.class);
    }

    public Topic<String, Report> reports() {
        return new Topic<>(REPORTS, keys, reportValues);
    }

    public Topic<String, Alert> provinceAlerts(String provinceSlug) {
        return new Topic<>(provinceAlertsName(provinceSlug), keys, alertValues);
    }

    public Topic<String, Alert> nationalAlerts() {
        return new Topic<>(ALERTS_NATIONAL, keys, alertValues);
    }

    public Topic<String, BlocklistEntry> blocklist() {
        return new Topic<>(BLOCKLIST, keys, blocklistValues);
    }

    public Topic<String, Decision> decisions() {
        return new Topic<>(DECISIONS, keys, decisionValues);
    }

    public Topic<String, IndicatorEvent> indicatorEvents() {
        return new Topic<>(INDICATOR_EVENTS, keys, indicatorEventValues);
    }

    public Topic<String, AllowlistEntry> allowlist() {
        return new Topic<>(ALLOWLIST, keys, allowlistValues);
    }

    public Topic<String, DoNotOriginateEntry> doNotOriginate() {
        return new Topic<>(DO_NOT_ORIGINATE, keys, doNotOriginateValues);
    }

    public Topic<String, DeadLetter> deadLetters() {
        return new Topic<>(DEAD_LETTER, keys, deadLetterValues);
    }

    /** Same values as the alert topics: the re-send tool copies alert records as they are. */
    public Topic<String, Alert> webhookRedelivery() {
        return new Topic<>(WEBHOOK_REDELIVERY, keys, alertValues);
    }

    public Topic<String, Appeal> appeals() {
        return new Topic<>(APPEALS, keys, appealValues);
    }

    public Topic<String, WeeklyTrend> trends() {
        return new Topic<>(TRENDS, keys, trendValues);
    }

    /** Internal to reporter-ingest, so plain JSON strings rather than a registered Avro contract. */
    public Topic<String, String> ingestIdempotency() {
        return new Topic<>(INGEST_IDEMPOTENCY, keys, Serdes.String());
    }

    /** {@code bhxh.alerts.<slug>.v1} for one of the 34 provinces; refuses a slug that is not one of them. */
    public static String provinceAlertsName(String provinceSlug) {
        Province province = Provinces.bySlug(provinceSlug)
                .orElseThrow(() -> new IllegalArgumentException("unknown province slug: " + provinceSlug));
        return "bhxh.alerts." + province.slug() + ".v1";
    }

    /** Every topic the product needs, as it must be created (local stack, tests, production manifests). */
    public static List<TopicSpec> specs() {
        List<TopicSpec> specs = new ArrayList<>();
        specs.add(new TopicSpec(REPORTS, REPORT_PARTITIONS, deleteAfter(REPORT_RETENTION)));
        for (Province province : Provinces.all()) {
            specs.add(new TopicSpec(provinceAlertsName(province.slug()), 1, deleteAfter(ALERT_RETENTION)));
        }
        specs.add(new TopicSpec(ALERTS_NATIONAL, 3, deleteAfter(ALERT_RETENTION)));
        specs.add(new TopicSpec(BLOCKLIST, BLOCKLIST_PARTITIONS, Map.of(
                "cleanup.policy", "compact",
                "delete.retention.ms", millis(TOMBSTONE_RETENTION),
                // Compact soon after a change so a partner rebuilding the list reads little history.
                "min.cleanable.dirty.ratio", "0.1",
                "segment.ms", millis(Duration.ofDays(1)))));
        specs.add(new TopicSpec(DECISIONS, INDICATOR_PARTITIONS, deleteAfter(DECISION_RETENTION)));
        // As long as the reports they are derived from: the processor rebuilds from them like from the reports.
        specs.add(new TopicSpec(INDICATOR_EVENTS, INDICATOR_PARTITIONS, deleteAfter(REPORT_RETENTION)));
        specs.add(new TopicSpec(ALLOWLIST, 1, Map.of(
                "cleanup.policy", "compact",
                "delete.retention.ms", millis(TOMBSTONE_RETENTION))));
        // A handful of numbers, read whole by every sink instance and by partners: one partition, compacted like
        // the blocklist, its tombstones kept as long so a partner offline for less than that sees a number leave.
        specs.add(new TopicSpec(DO_NOT_ORIGINATE, 1, Map.of(
                "cleanup.policy", "compact",
                "delete.retention.ms", millis(TOMBSTONE_RETENTION))));
        specs.add(new TopicSpec(DEAD_LETTER, 3, deleteAfter(DEAD_LETTER_RETENTION)));
        specs.add(new TopicSpec(WEBHOOK_REDELIVERY, 1, deleteAfter(REDELIVERY_RETENTION)));
        specs.add(new TopicSpec(INGEST_IDEMPOTENCY, 3, Map.of(
                "cleanup.policy", "compact,delete",
                "retention.ms", millis(IDEMPOTENCY_RETENTION),
                "segment.ms", millis(Duration.ofDays(1)))));
        // Few appeals: one partition keeps them in order and every sink instance reads them all.
        specs.add(new TopicSpec(APPEALS, 1, Map.of(
                "cleanup.policy", "compact,delete",
                "retention.ms", millis(APPEAL_RETENTION))));
        // A few records per week (one per partition of the indicator events), rewritten as the week's counts
        // change: compaction keeps the latest of each, and a reader loads the whole topic at start.
        specs.add(new TopicSpec(TRENDS, 1, Map.of(
                "cleanup.policy", "compact",
                "delete.retention.ms", millis(TOMBSTONE_RETENTION),
                "min.cleanable.dirty.ratio", "0.1",
                "segment.ms", millis(Duration.ofDays(1)))));
        return List.copyOf(specs);
    }

    private static Map<String, String> deleteAfter(Duration retention) {
        return Map.of("cleanup.policy", "delete", "retention.ms", millis(retention));
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }
}
