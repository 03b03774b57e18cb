package vn.bhxh.shield.indicator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.Topics;

class IndicatorEventsTest {

    private final Normaliser normaliser = new Normaliser();

    @Test
    void everyEventCarriesTheReportsOtherCanonicalKeysSortedWithoutItsOwn() {
        List<IndicatorEvent> events = IndicatorEvents.of(report(List.of("0904.038.115", "+84 994 311 220",
                "0904 038 115"), List.of("hxxp://bhxh-ho-tro[.]com/otp")), normaliser);

        assertThat(events).extracting(IndicatorEvent::getIndicator)
                .containsExactly("tel:+84904038115", "tel:+84994311220", "domain:bhxh-ho-tro.com");
        assertThat(events.get(0).getCoIndicators()).containsExactly("domain:bhxh-ho-tro.com", "tel:+84994311220");
        assertThat(events.get(1).getCoIndicators()).containsExactly("domain:bhxh-ho-tro.com", "tel:+84904038115");
        assertThat(events.get(2).getCoIndicators()).containsExactly("tel:+84904038115", "tel:+84994311220");
    }

    @Test
    void aReportNamingOneIndicatorLinksNothing() {
        assertThat(IndicatorEvents.of(report(List.of("0904.038.115"), List.of()), normaliser))
                .singleElement().satisfies(event -> assertThat(event.getCoIndicators()).isEmpty());
    }

    @Test
    void aReportNamingHundredsOfIndicatorsCarriesAtMostTheCapAndAlwaysItsSmallestKey() {
        List<String> phones = IntStream.range(0, 300).mapToObj(i -> String.format("0904 %06d", i)).toList();
        List<IndicatorEvent> events = IndicatorEvents.of(report(phones, List.of()), normaliser);

        assertThat(events).hasSize(300).allSatisfy(event -> {
            assertThat(event.getCoIndicators()).hasSize(IndicatorEvents.MAX_CO_INDICATORS)
                    .isSorted().doesNotContain(event.getIndicator());
        });
        // The smallest key counts the report once in report-level figures: every event still knows it.
        String smallest = events.stream().map(IndicatorEvent::getIndicator).sorted().findFirst().orElseThrow();
        assertThat(events).filteredOn(event -> !event.getIndicator().equals(smallest))
                .allSatisfy(event -> assertThat(event.getCoIndicators().get(0)).isEqualTo(smallest));
    }

    @Test
    void aRecordIsStampedWithTheContactTimeButNeverSoOldThatTheTopicsRetentionDeletesItUnread() {
        Instant received = Instant.parse("2026-11-20T02:05:00Z");
        Report recent = report(List.of("0904.038.115"), List.of());
        recent.setOccurredAt(received.minus(Duration.ofHours(3)));
        Report oldCase = report(List.of("0904.038.115"), List.of());
        oldCase.setOccurredAt(received.minus(Duration.ofDays(200)));
        Report future = report(List.of("0904.038.115"), List.of());
        future.setOccurredAt(received.plus(Duration.ofDays(1)));

        IndicatorEvent recentEvent = IndicatorEvents.of(recent, normaliser).get(0);
        assertThat(IndicatorEvents.recordTimestamp(recentEvent)).isEqualTo(IndicatorEvents.eventTime(recentEvent))
                .isEqualTo(received.minus(Duration.ofHours(3)).toEpochMilli());
        IndicatorEvent oldEvent = IndicatorEvents.of(oldCase, normaliser).get(0);
        assertThat(IndicatorEvents.eventTime(oldEvent)).isEqualTo(received.minus(Duration.ofDays(200)).toEpochMilli());
        assertThat(IndicatorEvents.recordTimestamp(oldEvent))
                .isEqualTo(received.minus(IndicatorEvents.MAX_RECORD_AGE).toEpochMilli());
        IndicatorEvent futureEvent = IndicatorEvents.of(future, normaliser).get(0);
        assertThat(IndicatorEvents.recordTimestamp(futureEvent)).isEqualTo(received.toEpochMilli());

        // Stamped that old, a record still lives 30 days after it was written.
        long retention = Topics.specs().stream().filter(spec -> spec.name().equals(Topics.INDICATOR_EVENTS))
                .mapToLong(spec -> Long.parseLong(spec.configs().get("retention.ms"))).findFirst().orElseThrow();
        assertThat(Duration.ofMillis(retention).minus(IndicatorEvents.MAX_RECORD_AGE))
                .isGreaterThanOrEqualTo(Duration.ofDays(30));
    }

    private static Report report(List<String> phones, List<String> urls) {
        return Report.newBuilder()
                .setReportId("r-1")
                .setChannel(Channel.HOTLINE)
                .setReporterPseudonym("citizen")
                .setPhoneNumbers(phones)
                .setUrls(urls)
                .setReceivedAt(Instant.parse("2026-11-20T02:05:00Z"))
                .setSubmittedBy("operator-7")
                .build();
    }
}
