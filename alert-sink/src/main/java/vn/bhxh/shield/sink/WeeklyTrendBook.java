package vn.bhxh.shield.sink;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.schema.WeeklyTrend;
import vn.bhxh.shield.trend.ReportWeeks;

/**
 * The weekly trends as the processor publishes them on {@code bhxh.trends.v1}: one record per week and partition
 * (key {@code <week>/<partition>}), each the counts of the reports of one partition; a week's figures are the sum
 * of its partitions' latest records. Filled by the {@link TrendFollower}, read by the national board and the
 * metrics on other threads.
 */
final class WeeklyTrendBook {

    /** The province slug of reports that named none. */
    static final String UNKNOWN_PROVINCE = "unknown";

    /**
     * One week, all partitions summed.
     *
     * @param start the Monday (Vietnam date)
     * @param week  the ISO week, {@code 2026-W49}
     */
    record Week(LocalDate start, String week, int reports, Map<String, Integer> byProvince,
                Map<String, Integer> byKind, Map<String, Integer> byRequest) {
    }

    private final Map<String, WeeklyTrend> latest = new HashMap<>();
    private volatile boolean loaded;

    synchronized void put(String key, WeeklyTrend trend) {
        latest.put(key, trend);
    }

    /** A tombstone: the processor no longer keeps the week. */
    synchronized void remove(String key) {
        latest.remove(key);
    }

    boolean loaded() {
        return loaded;
    }

    void markLoaded() {
        loaded = true;
    }

    /** The week starting on {@code start}, zero when nothing was counted in it. */
    synchronized Week week(LocalDate start) {
        int reports = 0;
        Map<String, Integer> byProvince = new TreeMap<>();
        Map<String, Integer> byKind = new TreeMap<>();
        Map<String, Integer> byRequest = new TreeMap<>();
        for (WeeklyTrend partition : latest.values()) {
            if (partition.getWeekStart().equals(start)) {
                reports += partition.getReports();
                partition.getByProvince().forEach((province, n) -> byProvince.merge(province, n, Integer::sum));
                partition.getByKind().forEach((kind, n) -> byKind.merge(kind, n, Integer::sum));
                partition.getByRequest().forEach((request, n) -> byRequest.merge(request, n, Integer::sum));
            }
        }
        return new Week(start, ReportWeeks.label(start), reports, byProvince, byKind, byRequest);
    }

    /**
     * What the national board shows: the last {@code count} weeks up to the one {@code today} is in, oldest first,
     * and the provinces that reported in them, most reports first, each with its reports per week.
     */
    Map<String, Object> board(LocalDate today, int count) {
        LocalDate current = ReportWeeks.weekStart(today);
        List<Week> weeks = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
            weeks.add(week(current.minusWeeks(i)));
        }
        Map<String, int[]> perProvince = new HashMap<>();
        for (int i = 0; i < weeks.size(); i++) {
            int index = i;
            weeks.get(i).byProvince().forEach((province, n) ->
                    perProvince.computeIfAbsent(province, p -> new int[count])[index] += n);
        }
        List<Map<String, Object>> provinces = perProvince.entrySet().stream()
                .map(entry -> {
                    Map<String, Object> province = new LinkedHashMap<>();
                    province.put("province", entry.getKey());
                    province.put("name", provinceName(entry.getKey()));
                    province.put("reports", Arrays.stream(entry.getValue()).boxed().toList());
                    province.put("total", Arrays.stream(entry.getValue()).sum());
                    return province;
                })
                .sorted(Comparator.comparing((Map<String, Object> province) -> (Integer) province.get("total"))
                        .reversed().thenComparing(province -> (String) province.get("province")))
                .toList();
        Map<String, Object> board = new LinkedHashMap<>();
        board.put("loaded", loaded);
        board.put("weeks", weeks);
        board.put("provinces", provinces);
        return board;
    }

    static String provinceName(String slug) {
        return slug.equals(UNKNOWN_PROVINCE) ? "Không rõ"
                : Provinces.bySlug(slug).map(Province::name).orElse(slug);
    }
}
