package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.schema.IndicatorKind;
import vn.bhxh.shield.schema.ScamRequest;
import vn.bhxh.shield.schema.WeeklyTrend;
import vn.bhxh.shield.trend.ReportWeeks;

/** What one indicator event adds to the weekly trends, without Kafka. */
class WeeklyTrendsTest {

    private static final String PHONE_A = "tel:+84904038115";
    private static final String PHONE_B = "tel:+84994311220";
    private static final String DOMAIN = "domain:baohiemxahoi-vn.com";
    /** Saturday 5 December 2026, 10:00 in Vietnam: ISO week 2026-W49, which starts on Monday 30 November. */
    private static final Instant SATURDAY = Instant.parse("2026-12-05T03:00:00Z");
    private static final LocalDate W49 = LocalDate.parse("2026-11-30");

    @Test
    void aReportOfThreeIndicatorsCountsOnceAndOncePerKindThroughItsSmallestKeys() {
        List<String> keys = List.of(DOMAIN, PHONE_A, PHONE_B); // sorted: the domain's key is the smallest
        WeeklyTrends.Counts week = new WeeklyTrends.Counts();
        for (String key : keys) {
            week.add(WeeklyTrends.of(event(key, keys.stream().filter(other -> !other.equals(key)).toList(),
                    "thanh-hoa", SATURDAY, List.of(ScamRequest.OTP, ScamRequest.MONEY_TRANSFER))));
        }

        WeeklyTrend trend = week.toRecord(W49, 2, SATURDAY);
        assertThat(trend.getReports()).isEqualTo(1);
        assertThat(trend.getByProvince()).containsExactlyEntriesOf(Map.of("thanh-hoa", 1));
        assertThat(trend.getByKind()).containsOnly(Map.entry("DOMAIN", 1), Map.entry("PHONE", 1));
        assertThat(trend.getByRequest()).containsOnly(Map.entry("OTP", 1),
                Map.entry("MONEY_TRANSFER", 1));
        assertThat(trend.getWeek()).isEqualTo("2026-W49");
        assertThat(trend.getWeekStart()).isEqualTo(W49);
        assertThat(trend.getPartition()).isEqualTo(2);
    }

    @Test
    void eachEventOfAReportSaysOnItsOwnWhatItCounts() {
        WeeklyTrends.Contribution domain = WeeklyTrends.of(event(DOMAIN, List.of(PHONE_A, PHONE_B), null, SATURDAY,
                List.of()));
        WeeklyTrends.Contribution firstPhone = WeeklyTrends.of(event(PHONE_A, List.of(DOMAIN, PHONE_B), null,
                SATURDAY, List.of()));
        WeeklyTrends.Contribution secondPhone = WeeklyTrends.of(event(PHONE_B, List.of(DOMAIN, PHONE_A), null,
                SATURDAY, List.of()));

        assertThat(domain.report()).isTrue();
        assertThat(domain.kind()).contains(IndicatorKind.DOMAIN);
        assertThat(firstPhone.report()).isFalse();
        assertThat(firstPhone.kind()).contains(IndicatorKind.PHONE);
        assertThat(secondPhone.report()).isFalse();
        assertThat(secondPhone.kind()).isEmpty();
        WeeklyTrends.Counts week = new WeeklyTrends.Counts();
        assertThat(week.add(secondPhone)).as("counts nothing").isFalse();
        assertThat(week.unsent).isFalse();
    }

    @Test
    void aReportThatNamedOnlyThisIndicatorCountsThroughItAndOneWithoutProvinceAsUnknown() {
        WeeklyTrends.Contribution alone = WeeklyTrends.of(event(PHONE_B, List.of(), null, SATURDAY,
                List.of(ScamRequest.VISIT_OFFICE, ScamRequest.VISIT_OFFICE, ScamRequest.SCAN_QR)));

        assertThat(alone.report()).isTrue();
        assertThat(alone.kind()).contains(IndicatorKind.PHONE);
        assertThat(alone.province()).isEqualTo(WeeklyTrends.UNKNOWN_PROVINCE);
        assertThat(alone.requests()).containsExactly(ScamRequest.VISIT_OFFICE, ScamRequest.SCAN_QR);
        WeeklyTrends.Counts week = new WeeklyTrends.Counts();
        assertThat(week.add(alone)).isTrue();
        assertThat(week.unsent).isTrue();
        assertThat(week.byProvince).containsOnly(Map.entry("unknown", 1));
        assertThat(week.byRequest).containsOnly(Map.entry("VISIT_OFFICE", 1),
                Map.entry("SCAN_QR", 1));
    }

    @Test
    void aProducerListingTheIndicatorAmongItsOwnCoIndicatorsStillCountsIt() {
        WeeklyTrends.Contribution listedTwice = WeeklyTrends.of(event(PHONE_A, List.of(PHONE_A), "hue", SATURDAY,
                List.of()));
        assertThat(listedTwice.report()).isTrue();
        assertThat(listedTwice.kind()).contains(IndicatorKind.PHONE);
    }

    /** Weeks run Monday to Sunday in Vietnam time (UTC+7), whatever the server's zone. */
    @Test
    void weeksEndOnSundayMidnightInVietnam() {
        Instant sundayLateInVietnam = Instant.parse("2026-12-06T16:30:00Z");      // Sunday 23:30 ICT
        Instant mondayEarlyInVietnam = Instant.parse("2026-12-06T17:30:00Z");     // Monday 00:30 ICT, Sunday in UTC
        Instant mondayMidnight = Instant.parse("2026-12-06T17:00:00Z");           // Monday 00:00 ICT

        assertThat(WeeklyTrends.of(event(PHONE_A, List.of(), "ha-noi", sundayLateInVietnam, List.of())).weekStart())
                .isEqualTo(W49);
        assertThat(WeeklyTrends.of(event(PHONE_A, List.of(), "ha-noi", mondayEarlyInVietnam, List.of())).weekStart())
                .isEqualTo(LocalDate.parse("2026-12-07"));
        assertThat(ReportWeeks.weekStart(mondayMidnight)).isEqualTo(LocalDate.parse("2026-12-07"));
        assertThat(ReportWeeks.weekStart(mondayMidnight.minusMillis(1))).isEqualTo(W49);
        assertThat(ReportWeeks.label(LocalDate.parse("2026-12-07"))).isEqualTo("2026-W50");
        // 2026 has 53 ISO weeks: the week of New Year's Day 2027 (a Friday) is still 2026's.
        assertThat(ReportWeeks.label(ReportWeeks.weekStart(LocalDate.parse("2027-01-01")))).isEqualTo("2026-W53");
        assertThat(ReportWeeks.label(LocalDate.parse("2027-01-04"))).isEqualTo("2027-W01");
    }

    /** The event time, as the rules use it: when the contact happened, never later than when ingest received it. */
    @Test
    void theWeekIsTheContactsNotTheReceipts() {
        Instant lastSunday = Instant.parse("2026-11-29T12:00:00Z");
        IndicatorEvent late = IndicatorEvent.newBuilder(event(PHONE_A, List.of(), "hue", SATURDAY, List.of()))
                .setOccurredAt(lastSunday).build();
        IndicatorEvent future = IndicatorEvent.newBuilder(event(PHONE_A, List.of(), "hue", SATURDAY, List.of()))
                .setOccurredAt(SATURDAY.plusSeconds(14 * 86_400)).build();

        assertThat(WeeklyTrends.of(late).weekStart()).isEqualTo(LocalDate.parse("2026-11-23"));
        assertThat(WeeklyTrends.of(future).weekStart()).isEqualTo(W49);
        assertThat(WeeklyTrends.oldestKept(SATURDAY.toEpochMilli(), 26)).isEqualTo(W49.minusWeeks(25));
    }

    static IndicatorEvent event(String indicator, List<String> coIndicators, String province, Instant at,
                                List<ScamRequest> requested) {
        return IndicatorEvent.newBuilder()
                .setIndicator(indicator)
                .setReportId("r-" + Integer.toHexString((indicator + at + coIndicators).hashCode()))
                .setChannel(province == null ? Channel.FANPAGE : Channel.HOTLINE)
                .setReporterPseudonym("citizen")
                .setProvince(province)
                .setRequested(requested)
                .setReceivedAt(at)
                .setSubmittedBy("operator-7")
                .setCoIndicators(coIndicators)
                .build();
    }
}
