package vn.bhxh.shield.processor;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.schema.ScamRequest;

/**
 * The reports of an indicator by one reporter, entered by one submitting account (the operator's account, the
 * fanpage's page id, the police unit: the report's {@code submittedBy}), through one channel, from one province,
 * within one merge span, reduced to what the windows count; the reporter only as its pseudonym. {@code account} is
 * null for sightings kept from before accounts were tracked; {@code entered} is when ingest first accepted one of
 * these reports (wall clock, which the submitter does not choose, unlike the event time): bursts are judged by it. Merging keeps a number that a few people
 * report thousands of times to a few entries per hour instead of one per report. {@code first} and {@code last}
 * are real report times less than a span apart, so a window longer than the span holds one of these reports
 * exactly when it holds {@code first} or {@code last}: distinct reporters, weights and provinces stay exact.
 * Report counts of an entry that straddles a window's edge count whole, within the span of the edge.
 */
record Sighting(long first, long last, String reporter, String account, long entered, Channel channel,
                String province, List<ScamRequest> requested, long amountLostVnd, int reports) {

    static final long MERGE_SPAN_MS = Duration.ofHours(1).toMillis();

    static Sighting of(IndicatorEvent report, long eventTime) {
        return new Sighting(eventTime, eventTime, report.getReporterPseudonym(), report.getSubmittedBy(),
                report.getReceivedAt().toEpochMilli(), report.getChannel(), report.getProvince(),
                List.copyOf(report.getRequested()), report.getAmountLostVnd(), 1);
    }

    /** Same reporter, account, channel and province in the same span: one entry can stand for both. */
    boolean mergesWith(Sighting other) {
        return reporter.equals(other.reporter) && Objects.equals(account, other.account)
                && channel == other.channel && Objects.equals(province, other.province)
                && Math.floorDiv(first, MERGE_SPAN_MS) == Math.floorDiv(other.first, MERGE_SPAN_MS);
    }

    Sighting merge(Sighting other) {
        EnumSet<ScamRequest> union = EnumSet.noneOf(ScamRequest.class);
        union.addAll(requested);
        union.addAll(other.requested);
        return new Sighting(Math.min(first, other.first), Math.max(last, other.last), reporter, account,
                Math.min(entered, other.entered), channel, province, List.copyOf(union),
                amountLostVnd + other.amountLostVnd, reports + other.reports);
    }

    /** Whether the window {@code (from, to]}, longer than the merge span, holds any of these reports. */
    boolean within(long from, long to) {
        return first > from && first <= to || last > from && last <= to;
    }

    /** The report times this entry still knows: where a window may end. */
    List<Long> times() {
        return first == last ? List.of(last) : List.of(first, last);
    }
}
