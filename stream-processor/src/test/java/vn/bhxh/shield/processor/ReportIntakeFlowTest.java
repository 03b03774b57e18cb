package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.indicator.IndicatorEvents;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

class ReportIntakeFlowTest extends TopologyTestBase {

    private static final String DECODED = "test.decoded-indicator-events";

    @Override
    protected void buildTopology(StreamsBuilder builder, Topics topics) {
        Topic<String, IndicatorEvent> events = topics.indicatorEvents();
        ReportIntakeFlow.buildTopology(builder, topics, metrics)
                .mapValues(input -> ((IndicatorInput.ReportSeen) input).event())
                .to(DECODED, Produced.with(events.keySerde(), events.valueSerde()));
    }

    @Test
    void readsIngestsIndicatorRecordsAndDeadLettersWhatCannotBeDecodedWithoutStopping() {
        Report first = report("r-1", List.of("0904.038.115"), List.of("hxxp://baohiemxahoi-vn[.]com/otp"));
        Report second = report("r-2", List.of("0904 038 115"), List.of());
        byte[] garbage = {0x7b, 0x22, 0x6f, 0x6b, 0x22};              // JSON, not the wire format
        byte[] unknownSchemaId = {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6};  // magic byte, then an id nobody registered
        IndicatorEvent firstPhone = IndicatorEvents.of(first, new Normaliser()).get(0);
        byte[] truncated = Arrays.copyOf(topics.indicatorEvents().valueSerde().serializer()
                .serialize(Topics.INDICATOR_EVENTS, firstPhone), 12);

        send(first);
        var raw = rawInput(Topics.INDICATOR_EVENTS);
        raw.pipeInput("tel:+84904038115", garbage);
        raw.pipeInput("tel:+84904038115", unknownSchemaId);
        raw.pipeInput("tel:+84904038115", truncated);
        raw.pipeInput("tel:+84904038115", (byte[]) null);
        send(second);

        Topic<String, IndicatorEvent> events = topics.indicatorEvents();
        TestOutputTopic<String, IndicatorEvent> decoded = driver.createOutputTopic(DECODED,
                events.keySerde().deserializer(), events.valueSerde().deserializer());
        // One record per canonical indicator of the report's lists, keyed by it, with what the rules need of it.
        assertThat(decoded.readKeyValuesToList()).extracting(record -> record.key, record -> record.value.getReportId())
                .containsExactly(tuple("tel:+84904038115", "r-1"),
                        tuple("domain:baohiemxahoi-vn.com", "r-1"),
                        tuple("tel:+84904038115", "r-2"));
        assertThat(firstPhone.getIndicator()).isEqualTo("tel:+84904038115");
        assertThat(firstPhone.getNotes()).isEqualTo(first.getNotes());
        assertThat(firstPhone.getReporterPseudonym()).isEqualTo(first.getReporterPseudonym());

        List<DeadLetter> letters = output(topics.deadLetters()).readValuesToList();
        assertThat(letters).hasSize(4);
        assertThat(letters).allSatisfy(letter -> {
            assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.DESERIALIZATION);
            assertThat(letter.getOriginalTopic()).isEqualTo(Topics.INDICATOR_EVENTS);
            assertThat(letter.getService()).isEqualTo(ProcessorService.NAME);
            assertThat(letter.getError()).isNotBlank();
        });
        assertThat(letters).extracting(DeadLetter::getOriginalOffset).containsExactly(2L, 3L, 4L, 5L);
        assertThat(letters.get(0).getOriginalValue()).isEqualTo(ByteBuffer.wrap(garbage));
        assertThat(letters.get(0).getOriginalKey())
                .isEqualTo(ByteBuffer.wrap("tel:+84904038115".getBytes(StandardCharsets.UTF_8)));
        assertThat(letters.get(1).getError()).contains(Integer.toString(0x7f7f7f7f));
        assertThat(letters.get(3).getOriginalValue()).isNull();
        assertThat(metrics.count("bhxh_processor_dead_letters", "kind", "DESERIALIZATION")).isEqualTo(4);
        assertThat(metrics.count("bhxh_processor_reports_decoded")).isEqualTo(3);
    }

    @Test
    void deadLettersARecordNotKeyedByItsCanonicalIndicator() {
        IndicatorEvent event = IndicatorEvents.of(report("r-1", List.of("0904.038.115"), List.of()),
                new Normaliser()).get(0);
        input(topics.indicatorEvents()).pipeInput("0904.038.115", event);

        assertThat(output(topics.deadLetters()).readValuesToList()).singleElement().satisfies(letter -> {
            assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.VALIDATION);
            assertThat(letter.getError()).contains("r-1", "0904.038.115", "tel:+84904038115");
        });
    }

    /** Written by something other than ingest (a replay, the benchmark's loader): refused here, never thrown. */
    @Test
    void deadLettersARecordNamingAProvinceThatDoesNotExistAndGoesOn() {
        Report named = report("r-1", List.of("0904.038.115"), List.of());
        named.setProvince("Nghệ An");
        input(topics.indicatorEvents()).pipeInput("tel:+84904038115",
                IndicatorEvents.of(named, new Normaliser()).get(0));
        send(report("r-2", List.of("0904.038.115"), List.of()));

        assertThat(output(topics.deadLetters()).readValuesToList()).singleElement().satisfies(letter -> {
            assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.VALIDATION);
            assertThat(letter.getError()).contains("r-1", "Nghệ An");
        });
        Topic<String, IndicatorEvent> events = topics.indicatorEvents();
        assertThat(driver.createOutputTopic(DECODED, events.keySerde().deserializer(),
                events.valueSerde().deserializer()).readValuesToList())
                .extracting(IndicatorEvent::getReportId).containsExactly("r-2");
    }

    private static Report report(String id, List<String> phones, List<String> urls) {
        return Report.newBuilder()
                .setReportId(id)
                .setChannel(Channel.HOTLINE)
                .setReporterPseudonym("a1b2c3")
                .setProvince("thanh-hoa")
                .setPhoneNumbers(phones)
                .setUrls(urls)
                .setNotes("Tự xưng cán bộ BHXH, đòi mã OTP")
                .setReceivedAt(Instant.parse("2026-11-20T02:15:00Z"))
                .setSubmittedBy("operator-7")
                .build();
    }
}
