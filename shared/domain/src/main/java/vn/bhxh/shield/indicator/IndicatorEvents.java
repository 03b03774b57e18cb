package vn.bhxh.shield.indicator;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.schema.Report;

/**
 * A report as the processor reads it: one {@link IndicatorEvent} per distinct canonical indicator of its lists
 * (phone numbers, links, accounts; never its notes), each carrying what the rules need of the report and the
 * report's other indicators ({@code coIndicators}: what links indicators into a campaign). Ingest writes these beside the report, the reprocessing tool re-derives them from
 * {@code bhxh.reports.v1}, and the tests produce them: all through this one function and the shared
 * {@link Normaliser}, so they agree. An identifier the normaliser rejects names no indicator (ingest refuses a
 * report with none, so only a normaliser change can leave a stored report without any).
 */
public final class IndicatorEvents {

    /**
     * Most co-indicators one event carries. A police batch line or a pasted chat can name hundreds of identifiers;
     * every event of such a report would carry all the others (n² keys over the report's n events) into the
     * processor's evidence store for each of them. Campaigns are linked by what few reports name together, so the
     * first 50 in key order are plenty, and a report's cost stays linear in its indicators.
     */
    public static final int MAX_CO_INDICATORS = 50;

    /**
     * Oldest a record's Kafka timestamp may be, before when ingest received the report. The topic deletes by record
     * timestamp (90 days, {@code Topics}): a record stamped with the contact time of a case months old (a police
     * batch of old cases) could be deleted by the broker's next retention check, before a processor that is
     * behind has read it; an accepted report would then never reach the rules or the evidence. Stamped no older
     * than this, every record lives at least 30 days after it was written. The rules read the event time from the
     * value ({@link #eventTime}), so a contact this old is still judged by when it happened (too late for any
     * window).
     */
    public static final Duration MAX_RECORD_AGE = Duration.ofDays(60);

    private IndicatorEvents() {
    }

    public static List<IndicatorEvent> of(Report report, Normaliser normaliser) {
        Set<String> keys = new LinkedHashSet<>();
        collect(report.getPhoneNumbers(), normaliser::phone, keys);
        collect(report.getUrls(), normaliser::link, keys);
        collect(report.getAccounts(), normaliser::account, keys);
        List<String> sorted = keys.stream().sorted().toList();
        return keys.stream().map(key -> IndicatorEvent.newBuilder()
                .setIndicator(key)
                .setReportId(report.getReportId())
                .setChannel(report.getChannel())
                .setReporterPseudonym(report.getReporterPseudonym())
                .setProvince(report.getProvince())
                .setContactMethod(report.getContactMethod())
                .setRequested(report.getRequested())
                .setAmountLostVnd(report.getAmountLostVnd())
                .setNotes(report.getNotes())
                .setOccurredAt(report.getOccurredAt())
                .setReceivedAt(report.getReceivedAt())
                .setSubmittedBy(report.getSubmittedBy())
                .setSourceReference(report.getSourceReference())
                .setCorrelationId(report.getCorrelationId())
                .setCoIndicators(coIndicators(sorted, key))
                .build()).toList();
    }

    /** The others of {@code sorted} (without {@code key}), in order, at most {@link #MAX_CO_INDICATORS}. */
    private static List<String> coIndicators(List<String> sorted, String key) {
        return sorted.stream().filter(other -> !other.equals(key)).limit(MAX_CO_INDICATORS).toList();
    }

    /**
     * The event time of the report: when the contact happened, clamped to when ingest
     * received the report, since a contact can not happen later; a mistyped future occurredAt would otherwise push
     * the stream time ahead and make every later report of the partition late.
     */
    public static long eventTime(IndicatorEvent event) {
        return eventTime(event.getOccurredAt(), event.getReceivedAt()).toEpochMilli();
    }

    /** The same from the two times, wherever a report is kept (the processor's evidence). */
    public static Instant eventTime(Instant occurredAt, Instant receivedAt) {
        return occurredAt == null || occurredAt.isAfter(receivedAt) ? receivedAt : occurredAt;
    }

    /** The record's Kafka timestamp: its {@link #eventTime}, never more than {@link #MAX_RECORD_AGE} before receipt. */
    public static long recordTimestamp(IndicatorEvent event) {
        return Math.max(eventTime(event), event.getReceivedAt().toEpochMilli() - MAX_RECORD_AGE.toMillis());
    }

    private static void collect(List<String> raw, Function<String, Normalisation> normalise, Set<String> keys) {
        for (String identifier : raw) {
            normalise.apply(identifier).accepted().ifPresent(indicator -> keys.add(indicator.key()));
        }
    }
}
