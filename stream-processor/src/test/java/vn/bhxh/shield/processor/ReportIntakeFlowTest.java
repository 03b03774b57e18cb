package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

class ReportIntakeFlowTest extends TopologyTestBase {

    private static final String DECODED = "test.decoded-reports";

    @Override
    protected void buildTopology(StreamsBuilder builder, Topics topics) {
        Topic<String, Report> reports = topics.reports();
        ReportIntakeFlow.buildTopology(builder, topics, metrics)
                .to(DECODED, Produced.with(reports.keySerde(), reports.valueSerde()));
    }

    @Test
    void decodesReportsAndDeadLettersWhatCannotBeDecodedWithoutStopping() {
        Report first = report("r-1");
        Report second = report("r-2");
        byte[] garbage = {0x7b, 0x22, 0x6f, 0x6b, 0x22};              // JSON, not the wire format
        byte[] unknownSchemaId = {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6};  // magic byte, then an id nobody registered
        byte[] truncated = Arrays.copyOf(topics.reports().valueSerde().serializer()
                .serialize(Topics.REPORTS, first), 12);

        input(topics.reports()).pipeInput(first.getReportId(), first);
        var raw = rawInput(Topics.REPORTS);
        raw.pipeInput("bad-1", garbage);
        raw.pipeInput("bad-2", unknownSchemaId);
        raw.pipeInput("bad-3", truncated);
        raw.pipeInput("bad-4", (byte[]) null);
        input(topics.reports()).pipeInput(second.getReportId(), second);

        TestOutputTopic<String, Report> decoded = driver.createOutputTopic(DECODED,
                topics.reports().keySerde().deserializer(), topics.reports().valueSerde().deserializer());
        assertThat(decoded.readValuesToList()).containsExactly(first, second);

        List<DeadLetter> letters = output(topics.deadLetters()).readValuesToList();
        assertThat(letters).hasSize(4);
        assertThat(letters).allSatisfy(letter -> {
            assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.DESERIALIZATION);
            assertThat(letter.getOriginalTopic()).isEqualTo(Topics.REPORTS);
            assertThat(letter.getService()).isEqualTo(ProcessorService.NAME);
            assertThat(letter.getError()).isNotBlank();
        });
        assertThat(letters).extracting(DeadLetter::getOriginalOffset).containsExactly(1L, 2L, 3L, 4L);
        assertThat(letters.get(0).getOriginalValue()).isEqualTo(ByteBuffer.wrap(garbage));
        assertThat(letters.get(0).getOriginalKey()).isEqualTo(ByteBuffer.wrap("bad-1".getBytes()));
        assertThat(letters.get(1).getError()).contains(Integer.toString(0x7f7f7f7f));
        assertThat(letters.get(3).getOriginalValue()).isNull();
        assertThat(metrics.count("bhxh_processor_dead_letters", "kind", "DESERIALIZATION")).isEqualTo(4);
        assertThat(metrics.count("bhxh_processor_reports_decoded")).isEqualTo(2);
    }

    private static Report report(String id) {
        return Report.newBuilder()
                .setReportId(id)
                .setChannel(Channel.HOTLINE)
                .setReporterPseudonym("a1b2c3")
                .setProvince("thanh-hoa")
                .setPhoneNumbers(List.of("0904.038.115"))
                .setNotes("Tự xưng cán bộ BHXH, đòi mã OTP")
                .setReceivedAt(Instant.parse("2026-11-20T02:15:00Z"))
                .setSubmittedBy("operator-7")
                .build();
    }
}
