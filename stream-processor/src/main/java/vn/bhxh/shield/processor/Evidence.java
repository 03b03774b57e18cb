package vn.bhxh.shield.processor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
 * <p>
 * {@code submittingAccounts}: distinct reporters per submitting account (an account that entered the same
 * reporter twice counts it once). {@code burstAccount}: the account that entered more than half of the distinct
 * reporters within {@link Rules.Review#burstWindow()} of each other (by when ingest accepted them), else null:
 * one operator typing in invented reporters, or one page flooded by a few accounts.
 */
record Evidence(long from, long to, int reportCount, int distinctReporters, double weightedReporters,
                List<String> provinces, Map<String, Integer> channelCounts, List<ScamRequest> requested,
                long amountLostVnd, Map<String, Integer> submittingAccounts, String burstAccount) {

    private static final int TREND_HOURS = 24;
    private static final long HOUR_MS = Duration.ofHours(1).toMillis();

    static Evidence over(List<Sighting> sightings, long from, long to, Rules rules) {
        Map<String, Double> weightByReporter = new HashMap<>();
        Set<String> provinces = new TreeSet<>();
        Map<String, Integer> channelCounts = new TreeMap<>();
        Map<String, List<Sighting>> byAccount = new TreeMap<>();
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
            if (sighting.account() != null) {
                byAccount.computeIfAbsent(sighting.account(), account -> new ArrayList<>()).add(sighting);
            }
        }
        double weighted = weightByReporter.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Integer> accounts = new TreeMap<>();
        String burst = null;
        long burstWindow = rules.review().burstWindow().toMillis();
        for (var account : byAccount.entrySet()) {
            accounts.put(account.getKey(), (int) account.getValue().stream().map(Sighting::reporter).distinct()
                    .count());
            int inBurst = mostReportersWithin(account.getValue(), burstWindow);
            if (inBurst >= 2 && 2 * inBurst > weightByReporter.size()) {
                burst = account.getKey();
            }
        }
        return new Evidence(from, to, reports, weightByReporter.size(), weighted, List.copyOf(provinces),
                Map.copyOf(channelCounts), List.copyOf(requested), lost, Map.copyOf(accounts), burst);
    }

    /** The most distinct reporters among {@code sightings} entered within {@code span} of each other. */
    private static int mostReportersWithin(List<Sighting> sightings, long span) {
        List<Sighting> byEntry = new ArrayList<>(sightings);
        byEntry.sort(Comparator.comparingLong(Sighting::entered));
        Map<String, Integer> inSpan = new HashMap<>();
        int most = 0;
        int start = 0;
        for (Sighting sighting : byEntry) {
            inSpan.merge(sighting.reporter(), 1, Integer::sum);
            while (sighting.entered() - byEntry.get(start).entered() > span) {
                inSpan.computeIfPresent(byEntry.get(start++).reporter(), (reporter, n) -> n == 1 ? null : n - 1);
            }
            most = Math.max(most, inSpan.size());
        }
        return most;
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
