package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.schema.ScamRequest;
import vn.bhxh.shield.schema.WeeklyTrend;
import vn.bhxh.shield.topic.Topics;
import vn.bhxh.shield.trend.ReportWeeks;

/**
 * The weekly trends in the whole processor topology, as ProcessorService runs it: counted per report, written on the
 * wall-clock punctuation only for the weeks that changed, and tombstoned once older than the weeks kept.
 */
class WeeklyTrendCounterTest extends TopologyTestBase {

    private static final Duration EMIT = WeeklyTrendCounter.TrendSettings.DEFAULTS.emitInterval();
    private static final int WEEKS = WeeklyTrendCounter.TrendSettings.DEFAULTS.weeks();
    private static final String PHONE_A = "tel:+84904038115";
    private static final String PHONE_B = "tel:+84994311220";
    private static final String DOMAIN = "domain:baohiemxahoi-vn.com";

    private TestInputTopic<String, IndicatorEvent> events;
    private TestOutputTopic<String, WeeklyTrend> trends;
    /** The driver's wall clock at the start: the current week is the one it falls in. */
    private Instant now;

    @Override
    protected void buildTopology(StreamsBuilder builder, Topics topics) {
        ProcessorService.buildTopology(builder, topics, Rules.from(Settings.of(Map.of())), metrics);
    }

    @BeforeEach
    void topics() {
        events = input(topics.indicatorEvents());
        trends = output(topics.trends());
        now = Instant.now();
    }

    @Test
    void writesOnEachPunctuationExactlyTheWeeksThatChanged() {
        LocalDate thisWeek = ReportWeeks.weekStart(now);
        LocalDate lastWeek = thisWeek.minusWeeks(1);
        report(now, "thanh-hoa", List.of(ScamRequest.OTP), DOMAIN, PHONE_A);
        report(now.minus(Duration.ofDays(7)), "nghe-an", List.of(ScamRequest.MONEY_TRANSFER), PHONE_B);
        assertThat(trends.isEmpty()).as("nothing before the punctuation").isTrue();

        driver.advanceWallClockTime(EMIT);
        Map<String, WeeklyTrend> first = trends.readKeyValuesToMap();
        assertThat(first).containsOnlyKeys(key(thisWeek), key(lastWeek));
        WeeklyTrend current = first.get(key(thisWeek));
        assertThat(current.getReports()).isEqualTo(1);
        assertThat(current.getByProvince()).containsOnly(Map.entry("thanh-hoa", 1));
        assertThat(current.getByKind()).containsOnly(Map.entry("DOMAIN", 1), Map.entry("PHONE", 1));
        assertThat(current.getByRequest()).containsOnly(Map.entry("OTP", 1));
        assertThat(current.getWeekStart()).isEqualTo(thisWeek);
        assertThat(current.getPartition()).isZero();
        assertThat(first.get(key(lastWeek)).getByProvince()).containsOnly(Map.entry("nghe-an", 1));

        report(now, null, List.of(ScamRequest.CLICK_LINK), PHONE_B);
        driver.advanceWallClockTime(EMIT);
        List<TestRecord<String, WeeklyTrend>> second = trends.readRecordsToList();
        assertThat(second).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(key(thisWeek));
            assertThat(record.value().getReports()).isEqualTo(2);
            assertThat(record.value().getByProvince()).containsOnly(Map.entry("thanh-hoa", 1),
                    Map.entry("unknown", 1));
            assertThat(record.value().getByKind()).containsOnly(Map.entry("DOMAIN", 1), Map.entry("PHONE", 2));
        });

        driver.advanceWallClockTime(EMIT);
        assertThat(trends.isEmpty()).as("nothing changed, nothing written").isTrue();
    }

    @Test
    void dropsAndTombstonesAWeekOnceOlderThanKeptAndCountsNothingForItAfter() {
        LocalDate oldestKept = ReportWeeks.weekStart(now).minusWeeks(WEEKS - 1L);
        Instant inOldest = oldestKept.atTime(12, 0).atZone(ReportWeeks.VIETNAM).toInstant();
        report(inOldest, "hue", List.of(), PHONE_A);
        report(inOldest.minus(Duration.ofDays(7)), "hue", List.of(), PHONE_B); // already too old: counts nowhere
        driver.advanceWallClockTime(EMIT);
        assertThat(trends.readKeyValuesToMap()).containsOnlyKeys(key(oldestKept));

        driver.advanceWallClockTime(Duration.ofDays(7));
        List<TestRecord<String, WeeklyTrend>> dropped = trends.readRecordsToList();
        assertThat(dropped).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(key(oldestKept));
            assertThat(record.value()).as("a tombstone").isNull();
        });

        report(inOldest, "hue", List.of(), PHONE_B);
        driver.advanceWallClockTime(EMIT);
        assertThat(trends.isEmpty()).isTrue();
    }

    /**
     * What a restarted task restores: the changelog gets each changed week once per commit (the test driver commits
     * after every record and punctuation), still marked unsent until the punctuation that wrote it to the topic, in
     * the same commit. The report's second phone number counts nothing (the first counts the report and the kind)
     * and writes nothing.
     */
    @Test
    void theStoreKeepsTheCountsAndWhetherTheyWereSentInTheTransactionThatSentThem() {
        LocalDate thisWeek = ReportWeeks.weekStart(now);
        var changelog = driver.createOutputTopic(getClass().getSimpleName() + "-" + WeeklyTrendCounter.STORE
                + "-changelog", Serdes.String().deserializer(), new JsonSerde<>(WeeklyTrends.Counts.class));
        report(now, "hue", List.of(ScamRequest.PERSONAL_DATA), PHONE_A, PHONE_B);

        assertThat(changelog.readRecordsToList()).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(thisWeek.toString());
            assertThat(record.value().reports).isEqualTo(1);
            assertThat(record.value().byKind).containsOnly(Map.entry("PHONE", 1));
            assertThat(record.value().byRequest).containsOnly(Map.entry("PERSONAL_DATA", 1));
            assertThat(record.value().unsent).isTrue();
        });

        driver.advanceWallClockTime(EMIT);
        assertThat(trends.readRecordsToList()).hasSize(1);
        assertThat(changelog.readRecordsToList()).singleElement()
                .satisfies(record -> assertThat(record.value().unsent).isFalse());
        driver.advanceWallClockTime(EMIT);
        assertThat(changelog.isEmpty()).as("nothing changed, nothing written").isTrue();
    }

    /** One report naming {@code keys}, as ingest writes it: one event per key, each with the others. */
    private void report(Instant at, String province, List<ScamRequest> requested, String... keys) {
        List<String> all = List.of(keys).stream().sorted().toList();
        for (String key : all) {
            IndicatorEvent event = WeeklyTrendsTest.event(key, all.stream().filter(other -> !other.equals(key))
                    .toList(), province, at, requested);
            events.pipeInput(new TestRecord<>(key, event, at));
        }
    }

    private static String key(LocalDate weekStart) {
        return ReportWeeks.label(weekStart) + "/0";
    }
}
