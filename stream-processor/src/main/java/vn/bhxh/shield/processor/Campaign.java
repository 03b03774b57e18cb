package vn.bhxh.shield.processor;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import vn.bhxh.shield.indicator.IndicatorEvents;
import vn.bhxh.shield.lookup.IndicatorEvidence.ReportEvidence;

/**
 * An indicator's campaign: the other indicators named together with it in its reports, as a pure function of the
 * reports the processor keeps for it ({@link EvidenceStore}). A scammer rotates numbers, pages and links; citizens
 * name several in one report, and what is named together in several reports is one operation.
 * <p>
 * An official BHXH channel is never linked: scammers name it ("call 1900 9068 to check") to look genuine, and a
 * campaign decision must never reach it.
 */
final class Campaign {

    private Campaign() {
    }

    /**
     * Another indicator linked to this one.
     *
     * @param indicator canonical key
     * @param reports   how many of the kept reports named both
     * @param since     event time of the earliest of them
     */
    record Link(String indicator, int reports, Instant since) {
    }

    /** Most reports first, then the longest-standing, then by key: the same reports always give the same list. */
    private static final Comparator<Link> ORDER = Comparator.comparingInt(Link::reports).reversed()
            .thenComparing(Link::since).thenComparing(Link::indicator);

    /**
     * @param reports  the reports kept for the indicator, any order
     * @param official whether a canonical key is an official channel (asked only of the links that would be
     *                 shown, so a lookup per candidate stays within {@code cap} plus the official ones)
     * @param cap      longest list returned
     */
    static List<Link> links(List<ReportEvidence> reports, Predicate<String> official, int cap) {
        Map<String, Link> byIndicator = new HashMap<>();
        for (ReportEvidence report : reports) {
            Instant at = IndicatorEvents.eventTime(report.occurredAt(), report.receivedAt());
            for (String other : report.coIndicators()) {
                byIndicator.merge(other, new Link(other, 1, at), (known, again) -> new Link(other,
                        known.reports() + 1, known.since().isBefore(at) ? known.since() : at));
            }
        }
        return byIndicator.values().stream().sorted(ORDER)
                .filter(link -> !official.test(link.indicator()))
                .limit(cap).toList();
    }
}
