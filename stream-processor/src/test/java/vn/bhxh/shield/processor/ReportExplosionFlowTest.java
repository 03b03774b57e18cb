package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.Topics;

class ReportExplosionFlowTest extends TopologyTestBase {

    private static final String EXPLODED = "test.exploded";
    private static final Instant OCCURRED = Instant.parse("2026-11-19T08:00:00Z");
    private static final Instant RECEIVED = Instant.parse("2026-11-20T02:15:00Z");

    @Override
    protected void buildTopology(StreamsBuilder builder, Topics topics) {
        ReportExplosionFlow.buildTopology(ReportIntakeFlow.buildTopology(builder, topics, metrics), topics, metrics)
                .to(EXPLODED, Produced.with(Serdes.String(), new IndicatorInputSerde(topics)));
    }

    @Test
    void explodesAReportIntoOneEventPerCanonicalIndicatorOfItsListsAtItsEventTime() {
        Report report = base("r-1")
                .setPhoneNumbers(List.of("0904.038.115", "+84 904 038 115", "12345"))
                .setUrls(List.of("hxxp://baohiemxahoi-vn[.]com/cap-nhat"))
                .setAccounts(List.of("STK Vietcombank 0123 456 789"))
                .setNotes("Gọi từ 0994.311.220, bảo kết bạn Zalo")
                .setOccurredAt(OCCURRED)
                .build();
        input(topics.reports()).pipeInput(report.getReportId(), report);

        List<TestRecord<String, IndicatorInput>> exploded = driver.createOutputTopic(EXPLODED,
                Serdes.String().deserializer(), new IndicatorInputSerde(topics)).readRecordsToList();
        assertThat(exploded).extracting(TestRecord::key).containsExactly(
                "tel:+84904038115", "domain:baohiemxahoi-vn.com", "bank:vcb:0123456789");
        assertThat(exploded).allSatisfy(record -> {
            assertThat(record.timestamp()).isEqualTo(OCCURRED.toEpochMilli());
            assertThat(record.value()).isEqualTo(new IndicatorInput.ReportSeen(report));
        });
        assertThat(output(topics.deadLetters()).isEmpty()).isTrue();
    }

    @Test
    void aNumberOnlyTheNotesMentionIsNoIndicatorItMayBeTheCitizensOwn() {
        Report notesOnly = base("r-7").setNotes("Kẻ gian gọi 0904038115, số của tôi 0981112223").build();
        Report withList = base("r-8").setPhoneNumbers(List.of("0936417600"))
                .setNotes("số của tôi 0981112223, email an@gmail.com").build();
        input(topics.reports()).pipeInput(notesOnly.getReportId(), notesOnly);
        input(topics.reports()).pipeInput(withList.getReportId(), withList);

        assertThat(driver.createOutputTopic(EXPLODED, Serdes.String().deserializer(), new IndicatorInputSerde(topics))
                .readRecordsToList()).extracting(TestRecord::key).containsExactly("tel:+84936417600");
        assertThat(output(topics.deadLetters()).readValuesToList()).singleElement()
                .satisfies(letter -> assertThat(letter.getError())
                        .isEqualTo("no valid indicator in phoneNumbers, urls or accounts"));
    }

    @Test
    void withoutOccurredAtTheEventTimeIsWhenIngestReceivedIt() {
        Report report = base("r-2").setPhoneNumbers(List.of("0936417600")).build();
        input(topics.reports()).pipeInput(report.getReportId(), report);

        TestRecord<String, IndicatorInput> exploded = driver.createOutputTopic(EXPLODED,
                Serdes.String().deserializer(), new IndicatorInputSerde(topics)).readRecord();
        assertThat(exploded.timestamp()).isEqualTo(RECEIVED.toEpochMilli());
    }

    @Test
    void anOccurredAtAfterTheReportWasReceivedIsClampedToWhenItWasReceived() {
        Report report = base("r-6").setPhoneNumbers(List.of("0936417600"))
                .setOccurredAt(Instant.parse("2062-11-20T02:15:00Z")).build();
        input(topics.reports()).pipeInput(report.getReportId(), report);

        assertThat(driver.createOutputTopic(EXPLODED, Serdes.String().deserializer(), new IndicatorInputSerde(topics))
                .readRecord().timestamp()).isEqualTo(RECEIVED.toEpochMilli());
    }

    @Test
    void deadLettersReportsWithNoIndicatorOrAnUnknownProvinceAndGoesOn() {
        Report nothingValid = base("r-3").setPhoneNumbers(List.of("12345")).setNotes("Họ gọi cho tôi").build();
        Report unknownProvince = base("r-4").setProvince("binh-duong").setPhoneNumbers(List.of("0904038115")).build();
        Report valid = base("r-5").setPhoneNumbers(List.of("0904038115")).build();
        input(topics.reports()).pipeInput(nothingValid.getReportId(), nothingValid);
        input(topics.reports()).pipeInput(unknownProvince.getReportId(), unknownProvince);
        input(topics.reports()).pipeInput(valid.getReportId(), valid);

        List<DeadLetter> letters = output(topics.deadLetters()).readValuesToList();
        assertThat(letters).extracting(DeadLetter::getErrorKind).containsOnly(ErrorKind.VALIDATION);
        assertThat(letters.get(0).getError()).startsWith("no valid indicator").contains("12345");
        assertThat(letters.get(1).getError()).isEqualTo("unknown province slug 'binh-duong'");
        assertThat(letters).extracting(DeadLetter::getOriginalOffset).containsExactly(0L, 1L);
        assertThat(topics.reports().valueSerde().deserializer()
                .deserialize(Topics.REPORTS, letters.get(1).getOriginalValue().array())).isEqualTo(unknownProvince);
        assertThat(metrics.count("bhxh_processor_dead_letters", "kind", "VALIDATION")).isEqualTo(2);
        assertThat(driver.createOutputTopic(EXPLODED, Serdes.String().deserializer(), new IndicatorInputSerde(topics))
                .readKeyValuesToList()).hasSize(1);
    }

    private static Report.Builder base(String id) {
        return Report.newBuilder()
                .setReportId(id)
                .setChannel(Channel.HOTLINE)
                .setReporterPseudonym("a1b2c3")
                .setProvince("thanh-hoa")
                .setReceivedAt(RECEIVED)
                .setSubmittedBy("operator-7");
    }
}
