package vn.bhxh.shield.indicator;

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
     * The event time of the record (its Kafka timestamp): when the contact happened, clamped to when ingest
     * received the report, since a contact can not happen later; a mistyped future occurredAt would otherwise push
     * the stream time ahead and make every later report of the partition late.
     */
    public static long eventTime(IndicatorEvent event) {
        long received = event.getReceivedAt().toEpochMilli();
        return event.getOccurredAt() == null ? received : Math.min(event.getOccurredAt().toEpochMilli(), received);
    }

    private static void collect(List<String> raw, Function<String, Normalisation> normalise, Set<String> keys) {
        for (String identifier : raw) {
            normalise.apply(identifier).accepted().ifPresent(indicator -> keys.add(indicator.key()));
        }
    }
}
