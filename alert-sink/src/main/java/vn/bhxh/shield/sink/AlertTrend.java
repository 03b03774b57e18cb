package vn.bhxh.shield.sink;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import vn.bhxh.shield.schema.IndicatorKind;

/**
 * Alerts per day (Vietnam time) and indicator kind for each board scope over the last {@code days} days, from the
 * alerts the board reads back from the alert topics; an alert re-sent under its id counts once. Only the day and
 * kind of each alert id are kept, so the trend reaches further back than the cards a board holds.
 */
final class AlertTrend {

    /** The kinds charted, in the chart's order; UNKNOWN is only the schema's fallback for newer writers. */
    static final List<String> KINDS = Arrays.stream(IndicatorKind.values())
            .filter(kind -> kind != IndicatorKind.UNKNOWN).map(Enum::name).toList();

    private final int days;
    private final Map<String, TreeMap<LocalDate, Map<String, String>>> kindByAlertByDayByScope = new HashMap<>();

    AlertTrend(int days) {
        this.days = days;
    }

    /** Counts the alert on its day; days that fell out of the window are dropped as new ones come. */
    synchronized void record(String scope, String alertId, String kind, Instant raisedAt, LocalDate today) {
        LocalDate day = raisedAt.atZone(IndicatorCards.VIETNAM).toLocalDate();
        LocalDate first = firstDay(today);
        if (day.isBefore(first)) {
            return;
        }
        TreeMap<LocalDate, Map<String, String>> byDay = kindByAlertByDayByScope.computeIfAbsent(scope,
                s -> new TreeMap<>());
        byDay.headMap(first).clear();
        byDay.computeIfAbsent(day, d -> new HashMap<>()).put(alertId, kind);
    }

    /**
     * The chart's data: {@code days} (ISO dates, oldest first, ending today) and, for each kind, the count per day.
     */
    synchronized Map<String, Object> series(String scope, LocalDate today) {
        TreeMap<LocalDate, Map<String, String>> byDay = kindByAlertByDayByScope.getOrDefault(scope, new TreeMap<>());
        List<String> labels = new ArrayList<>();
        Map<String, int[]> counts = new LinkedHashMap<>();
        KINDS.forEach(kind -> counts.put(kind, new int[days]));
        for (int i = 0; i < days; i++) {
            LocalDate day = firstDay(today).plusDays(i);
            labels.add(day.toString());
            for (String kind : byDay.getOrDefault(day, Map.of()).values()) {
                int[] perDay = counts.get(kind);
                if (perDay != null) {
                    perDay[i]++;
                }
            }
        }
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("days", labels);
        Map<String, List<Integer>> byKind = new LinkedHashMap<>();
        counts.forEach((kind, perDay) -> byKind.put(kind, Arrays.stream(perDay).boxed().toList()));
        series.put("byKind", byKind);
        return series;
    }

    /** All kinds together, per day: the trend column of the national table of provinces. */
    synchronized List<Integer> totals(String scope, LocalDate today) {
        TreeMap<LocalDate, Map<String, String>> byDay = kindByAlertByDayByScope.getOrDefault(scope, new TreeMap<>());
        List<Integer> totals = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            totals.add(byDay.getOrDefault(firstDay(today).plusDays(i), Map.of()).size());
        }
        return totals;
    }

    private LocalDate firstDay(LocalDate today) {
        return today.minusDays(days - 1L);
    }
}
