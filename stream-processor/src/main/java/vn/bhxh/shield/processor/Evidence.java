package vn.bhxh.shield.processor;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import vn.bhxh.shield.lookup.IndicatorStatus;
import vn.bhxh.shield.schema.ScamRequest;

/**
 * What the sightings in the window {@code (from, to]} (event time) add up to. Each reporter counts once, with
 * the highest weight among its channels, so one citizen calling twice or a hotline and a fanpage message from
 * the same person never look like two people.
 */
record Evidence(long from, long to, int reportCount, int distinctReporters, double weightedReporters,
                List<String> provinces, Map<String, Integer> channelCounts, List<ScamRequest> requested,
                long amountLostVnd) {

    private static final int TREND_HOURS = 24;
    private static final long HOUR_MS = Duration.ofHours(1).toMillis();

    static Evidence over(List<Sighting> sightings, long from, long to, Rules rules) {
        Map<String, Double> weightByReporter = new HashMap<>();
        Set<String> provinces = new TreeSet<>();
        Map<String, Integer> channelCounts = new TreeMap<>();
        Set<ScamRequest> requested = EnumSet.noneOf(ScamRequest.class);
        int reports = 0;
        long lost = 0;
        for (Sighting sighting : sightings) {
            if (!sighting.within(from, to)) {
                continue;
            }
            reports += sighting.reports();
            weightByReporter.merge(sighting.reporter(), rules.weight(sighting.channel()), Math::max);
            if (sighting.province() != null) {
                provinces.add(sighting.province());
            }
            channelCounts.merge(sighting.channel().name(), sighting.reports(), Integer::sum);
            requested.addAll(sighting.requested());
            lost += sighting.amountLostVnd();
        }
        double weighted = weightByReporter.values().stream().mapToDouble(Double::doubleValue).sum();
        return new Evidence(from, to, reports, weightByReporter.size(), weighted, List.copyOf(provinces),
                Map.copyOf(channelCounts), List.copyOf(requested), lost);
    }

    /**
     * Reports per hour in the 24 hours up to {@code to}, oldest first, for the alert's trend. The merge keeps no
     * finer times, so a merged sighting's reports count in the hour of its last time; one that goes on past
     * {@code to} counts in the last hour, as it counts whole in the window: over the default 24-hour window the
     * hours add up to the alert's reportCount.
     */
    static List<Integer> hourlyReports(List<Sighting> sightings, long to) {
        int[] hours = new int[TREND_HOURS];
        for (Sighting sighting : sightings) {
            // within() means last > to - 24 h, so every counted sighting falls in one of the hours.
            if (sighting.within(to - TREND_HOURS * HOUR_MS, to)) {
                long hoursBeforeEnd = (to - Math.min(sighting.last(), to)) / HOUR_MS;
                hours[TREND_HOURS - 1 - (int) hoursBeforeEnd] += sighting.reports();
            }
        }
        return Arrays.stream(hours).boxed().toList();
    }

    IndicatorStatus.Counts counts() {
        return new IndicatorStatus.Counts(reportCount, distinctReporters, weightedReporters, provinces,
                channelCounts);
    }
}
