package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.schema.WeeklyTrend;

/** A week's figures are the sum of its partitions' latest records; a tombstone drops one. */
class WeeklyTrendBookTest {

    private static final LocalDate W49 = LocalDate.parse("2026-11-30");
    /** Sunday 6 December 2026, the last day of 2026-W49. */
    private static final LocalDate SUNDAY = LocalDate.parse("2026-12-06");

    @Test
    void sumsThePartitionsOfAWeekKeepingOnlyEachOnesLatestRecord() {
        WeeklyTrendBook book = new WeeklyTrendBook();
        book.put("2026-W49/0", trend(W49, 0, 9, Map.of("hue", 9)));
        book.put("2026-W49/0", trend(W49, 0, 2, Map.of("hue", 1, "unknown", 1)));
        book.put("2026-W49/1", trend(W49, 1, 3, Map.of("hue", 3)));
        book.put("2026-W48/1", trend(W49.minusWeeks(1), 1, 4, Map.of("ha-noi", 4)));

        WeeklyTrendBook.Week week = book.week(W49);
        assertThat(week.reports()).isEqualTo(5);
        assertThat(week.week()).isEqualTo("2026-W49");
        assertThat(week.byProvince()).isEqualTo(Map.of("hue", 4, "unknown", 1));
        assertThat(week.byRequest()).isEqualTo(Map.of("OTP", 5));

        book.remove("2026-W49/1");
        assertThat(book.week(W49).reports()).isEqualTo(2);
    }

    @Test
    void theBoardShowsEveryWeekUpToTheCurrentOneAndTheProvincesMostReportsFirst() {
        WeeklyTrendBook book = new WeeklyTrendBook();
        book.put("2026-W49/0", trend(W49, 0, 3, Map.of("hue", 2, "unknown", 1)));
        book.put("2026-W47/0", trend(W49.minusWeeks(2), 0, 3, Map.of("ha-noi", 3)));
        book.put("2026-W30/0", trend(W49.minusWeeks(19), 0, 8, Map.of("ha-noi", 8))); // older than shown

        Map<String, Object> board = book.board(SUNDAY, 4);
        @SuppressWarnings("unchecked")
        List<WeeklyTrendBook.Week> weeks = (List<WeeklyTrendBook.Week>) board.get("weeks");
        assertThat(weeks).extracting(WeeklyTrendBook.Week::week)
                .containsExactly("2026-W46", "2026-W47", "2026-W48", "2026-W49");
        assertThat(weeks).extracting(WeeklyTrendBook.Week::reports).containsExactly(0, 3, 0, 3);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> provinces = (List<Map<String, Object>>) board.get("provinces");
        assertThat(provinces).extracting(p -> p.get("name")).containsExactly("Hà Nội", "Huế", "Không rõ");
        assertThat(provinces.get(0)).containsEntry("reports", List.of(0, 3, 0, 0)).containsEntry("total", 3);
        assertThat(board).containsEntry("loaded", false);
    }

    private static WeeklyTrend trend(LocalDate weekStart, int partition, int reports, Map<String, Integer> byProvince) {
        return WeeklyTrend.newBuilder().setWeek("unused-by-the-book").setWeekStart(weekStart).setPartition(partition)
                .setReports(reports).setByProvince(byProvince).setByKind(Map.of("PHONE", reports))
                .setByRequest(Map.of("OTP", reports)).setUpdatedAt(Instant.parse("2026-12-05T03:00:00Z")).build();
    }
}
