package vn.bhxh.shield.trend;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * The weeks the trends count in (docs/trends.md): ISO weeks, Monday to Sunday, in Vietnam time, so a report on
 * Sunday 23:30 in Hà Nội belongs to the week it ends, whatever the server's zone. The processor counts per week and
 * the sink sums and shows them; both name a week the same way.
 */
public final class ReportWeeks {

    public static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");

    private ReportWeeks() {
    }

    /** The Monday (Vietnam date) of the week {@code instant} falls in. */
    public static LocalDate weekStart(Instant instant) {
        return weekStart(instant.atZone(VIETNAM).toLocalDate());
    }

    /** The Monday of the week of {@code day}. */
    public static LocalDate weekStart(LocalDate day) {
        return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    /** {@code 2026-W49}: the ISO week-based year and week of the week starting on {@code weekStart}. */
    public static String label(LocalDate weekStart) {
        return String.format(Locale.ROOT, "%d-W%02d", weekStart.get(IsoFields.WEEK_BASED_YEAR),
                weekStart.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }
}
