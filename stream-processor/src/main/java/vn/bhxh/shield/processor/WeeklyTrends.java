package vn.bhxh.shield.processor;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.IndicatorEvents;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.schema.IndicatorKind;
import vn.bhxh.shield.schema.ScamRequest;
import vn.bhxh.shield.schema.WeeklyTrend;
import vn.bhxh.shield.trend.ReportWeeks;

/**
 * What the weekly trends count, as pure functions over one {@link IndicatorEvent} (docs/trends.md).
 * <p>
 * A report reaches the processor as one event per indicator, each on the partition of its indicator, so no task
 * sees a whole report. Each event carries the report's other keys ({@code coIndicators}), which is enough to count
 * every report exactly once without bringing its events together: the event of the report's smallest key counts
 * the report (its province, what was asked); per kind, the event of the smallest key of that kind counts it. A
 * report that named only this indicator (no co-indicators, as events written before the field existed) counts
 * through its one event.
 */
final class WeeklyTrends {

    /** The province of a report that names none (a fanpage message). */
    static final String UNKNOWN_PROVINCE = "unknown";

    private WeeklyTrends() {
    }

    /**
     * What one event adds to its week.
     *
     * @param weekStart the Monday of the event's ISO week in Vietnam time
     * @param kind      the kind this event counts the report under; empty when an event of a smaller key of the
     *                  same kind counts it
     * @param report    whether this event counts the report itself (its province and requests)
     * @param province  the report's province slug, {@link #UNKNOWN_PROVINCE} when it names none
     * @param requests  the distinct things the scammer asked for
     */
    record Contribution(LocalDate weekStart, Optional<IndicatorKind> kind, boolean report, String province,
                        List<ScamRequest> requests) {
    }

    static Contribution of(IndicatorEvent event) {
        String key = event.getIndicator();
        // Only the other keys: a producer that listed the indicator among its own co-indicators still counts it.
        List<String> others = event.getCoIndicators().stream().filter(other -> !other.equals(key)).toList();
        Optional<IndicatorKind> kind = Indicator.parseKey(key).map(Indicator::kind);
        boolean smallestOfKind = kind.isPresent() && others.stream().noneMatch(other -> other.compareTo(key) < 0
                && Indicator.parseKey(other).map(Indicator::kind).equals(kind));
        boolean smallest = others.stream().noneMatch(other -> other.compareTo(key) < 0);
        return new Contribution(ReportWeeks.weekStart(Instant.ofEpochMilli(IndicatorEvents.eventTime(event))),
                smallestOfKind ? kind : Optional.empty(), smallest,
                event.getProvince() == null ? UNKNOWN_PROVINCE : event.getProvince(),
                List.copyOf(new TreeSet<>(event.getRequested())));
    }

    /** The oldest week kept at {@code nowMillis} when {@code weeks} weeks are kept, the current one included. */
    static LocalDate oldestKept(long nowMillis, int weeks) {
        return ReportWeeks.weekStart(Instant.ofEpochMilli(nowMillis)).minusWeeks(weeks - 1L);
    }

    /**
     * One week's counts in one task, as kept in its store. Mutable: the counter changes the object it holds, and
     * writes it down once per commit.
     */
    static final class Counts {
        int reports;
        Map<String, Integer> byProvince = new TreeMap<>();
        Map<String, Integer> byKind = new TreeMap<>();
        Map<String, Integer> byRequest = new TreeMap<>();
        /** Changed since last written to the trends topic; kept in the store so a restart still sends it. */
        boolean unsent;

        /** Adds what one event contributes; returns whether anything was counted. */
        boolean add(Contribution contribution) {
            contribution.kind().ifPresent(kind -> byKind.merge(kind.name(), 1, Integer::sum));
            if (contribution.report()) {
                reports++;
                byProvince.merge(contribution.province(), 1, Integer::sum);
                contribution.requests().forEach(request -> byRequest.merge(request.name(), 1, Integer::sum));
            }
            boolean counted = contribution.report() || contribution.kind().isPresent();
            unsent |= counted;
            return counted;
        }

        WeeklyTrend toRecord(LocalDate weekStart, int partition, Instant updatedAt) {
            return WeeklyTrend.newBuilder()
                    .setWeek(ReportWeeks.label(weekStart))
                    .setWeekStart(weekStart)
                    .setPartition(partition)
                    .setReports(reports)
                    .setByProvince(new TreeMap<>(byProvince))
                    .setByKind(new TreeMap<>(byKind))
                    .setByRequest(new TreeMap<>(byRequest))
                    .setUpdatedAt(updatedAt)
                    .build();
        }
    }
}
