package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.indicator.IndicatorEvents;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.runtime.CorrelationId;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.Topics;

/**
 * Correlation ids through the whole topology, past the explosion and the repartition: what a report causes
 * carries the id of the report that caused it, whether ingest put it in the record header, the report's field or
 * both.
 */
class CorrelationFlowTest extends TopologyTestBase {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(1));

    @Override
    protected void buildTopology(StreamsBuilder builder, Topics topics) {
        ProcessorService.buildTopology(builder, topics, Rules.from(Settings.of(Map.of())), metrics);
    }

    @Test
    void theAlertsAndTheBlocklistEntryCarryTheIdOfTheReportOrDecisionThatCrossedTheLevel() {
        send(report(1, "req-1"), "req-1");
        send(report(2, null), "req-2");
        send(report(3, null), "req-3");                      // the third reporter: WARNING
        assertThat(alertsWithIds("thanh-hoa")).containsExactly(Map.entry(AlertLevel.WARNING, "req-3"));

        send(report(4, "req-4"), null);
        send(report(5, "req-5"), null);                      // the fifth: PROPOSED
        assertThat(alertsWithIds("thanh-hoa")).containsExactly(Map.entry(AlertLevel.PROPOSED, "req-5"));
        assertThat(alertsWithIds(Topics.ALERTS_NATIONAL)).containsExactly(Map.entry(AlertLevel.PROPOSED, "req-5"));

        Decision confirm = Decision.newBuilder().setDecisionId("d-1").setAction(DecisionAction.CONFIRM)
                .setIndicator("tel:+84904038115").setActor("officer-th").setProvince("thanh-hoa")
                .setDecidedAt(T0.plusSeconds(400)).build();
        input(topics.decisions()).pipeInput(new TestRecord<>(confirm.getIndicator(), confirm,
                CorrelationId.headers("req-confirm"), confirm.getDecidedAt()));    // listed, BLOCKED
        assertThat(alertsWithIds("thanh-hoa")).containsExactly(Map.entry(AlertLevel.BLOCKED, "req-confirm"));
        assertThat(output(topics.blocklist()).readRecordsToList()).singleElement()
                .satisfies(entry -> assertThat(id(entry.headers())).isEqualTo("req-confirm"));

        send(report(6, "req-6"), "req-6");                   // renews the listing
        send(report(7, "req-7"), "req-7");                   // and again, before the renewal is sent
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
        driver.advanceWallClockTime(Rules.DEFAULTS.renewInterval());
        assertThat(output(topics.blocklist()).readRecordsToList()).singleElement()
                .satisfies(entry -> assertThat(id(entry.headers())).isEqualTo("req-7"));
    }

    @Test
    void aDeadLetterKeepsTheIdOfTheReportItHolds() {
        // An indicator record under another key than its indicator: not ingest's, a VALIDATION dead letter.
        byte[] value = topics.indicatorEvents().valueSerde().serializer().serialize(Topics.INDICATOR_EVENTS,
                IndicatorEvents.of(report(1, "req-bad"), new Normaliser()).get(0));
        rawInput(Topics.INDICATOR_EVENTS).pipeInput(new TestRecord<>("0904.038.115", value,
                CorrelationId.headers("req-bad"), T0));

        assertThat(output(topics.deadLetters()).readRecordsToList()).singleElement()
                .satisfies(letter -> assertThat(id(letter.headers())).isEqualTo("req-bad"));
    }

    /** Level and correlation id (header) of each alert read from the topic; the alert's own field must agree. */
    private List<Map.Entry<AlertLevel, String>> alertsWithIds(String provinceOrNational) {
        var topic = provinceOrNational.equals(Topics.ALERTS_NATIONAL) ? topics.nationalAlerts()
                : topics.provinceAlerts(provinceOrNational);
        return output(topic).readRecordsToList().stream().map(record -> {
            Alert alert = record.value();
            assertThat(alert.getCorrelationId()).as("the alert's field").isEqualTo(id(record.headers()));
            return Map.entry(alert.getLevel(), id(record.headers()));
        }).toList();
    }

    private static String id(Headers headers) {
        var header = headers.lastHeader(CorrelationId.KAFKA_HEADER);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** As ingest writes it, the id in the header when {@code header} is not null. */
    private void send(Report report, String header) {
        new IngestedReports(topics).pipe(rawInput(Topics.INDICATOR_EVENTS), report, CorrelationId.headers(header));
    }

    private static Report report(int reporter, String correlationId) {
        Instant at = T0.plusSeconds(60L * reporter);
        return Report.newBuilder()
                .setReportId("r-" + reporter)
                .setChannel(Channel.HOTLINE)
                .setReporterPseudonym("citizen-" + reporter)
                .setProvince("thanh-hoa")
                .setPhoneNumbers(List.of("0904.038.115"))
                .setOccurredAt(at)
                .setReceivedAt(at.plusSeconds(30))
                .setSubmittedBy("operator-7")
                .setCorrelationId(correlationId)
                .build();
    }
}
