package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.topic.Topics;

class DecisionIntakeFlowTest extends TopologyTestBase {

    private static final String KEYED = "test.decisions-by-indicator";
    private static final Instant DECIDED = Instant.parse("2026-11-21T09:30:00Z");

    @Override
    protected void buildTopology(StreamsBuilder builder, Topics topics) {
        DecisionIntakeFlow.buildTopology(builder, topics, metrics)
                .mapValues(input -> ((IndicatorInput.DecisionTaken) input).decision())
                .to(KEYED, Produced.with(topics.decisions().keySerde(), topics.decisions().valueSerde()));
    }

    @Test
    void readsDecisionsKeyedByTheirCanonicalIndicatorAndDeadLettersTheOnesItCannotUseWithoutStopping() {
        Decision typed = decision("d-1", "0904.038.115");
        Decision notAnIndicator = decision("d-2", "gọi lại sau");
        byte[] undecodable = "{\"action\":\"DELIST\"}".getBytes(StandardCharsets.UTF_8);
        Decision canonical = decision("d-3", "domain:baohiemxahoi-vn.com");
        Decision underTypedKey = decision("d-5", "0904 038 115");

        input(topics.decisions()).pipeInput("tel:+84904038115", typed);   // as the dashboard keys it
        input(topics.decisions()).pipeInput(notAnIndicator.getIndicator(), notAnIndicator);
        rawInput(Topics.DECISIONS).pipeInput("d-4", undecodable);
        input(topics.decisions()).pipeInput(canonical.getIndicator(), canonical);
        // It may lie in another task's partition than its indicator's: re-sent under the right key, not moved here.
        input(topics.decisions()).pipeInput(underTypedKey.getIndicator(), underTypedKey);

        List<KeyValue<String, Decision>> keyed = driver.createOutputTopic(KEYED,
                Serdes.String().deserializer(), topics.decisions().valueSerde().deserializer()).readKeyValuesToList();
        assertThat(keyed).extracting(record -> record.key)
                .containsExactly("tel:+84904038115", "domain:baohiemxahoi-vn.com");
        assertThat(keyed).extracting(record -> record.value).containsExactly(typed, canonical);

        List<DeadLetter> letters = output(topics.deadLetters()).readValuesToList();
        assertThat(letters).hasSize(3);
        assertThat(letters).allSatisfy(letter -> {
            assertThat(letter.getOriginalTopic()).isEqualTo(Topics.DECISIONS);
            assertThat(letter.getService()).isEqualTo(ProcessorService.NAME);
        });
        DeadLetter invalid = letters.get(0);
        assertThat(invalid.getErrorKind()).isEqualTo(ErrorKind.VALIDATION);
        assertThat(invalid.getError()).contains("d-2", "gọi lại sau", "not an indicator");
        assertThat(invalid.getOriginalOffset()).isEqualTo(1L);
        assertThat(topics.decisions().valueSerde().deserializer().deserialize(Topics.DECISIONS,
                bytes(invalid.getOriginalValue()))).as("the decision itself, to correct and re-send")
                .isEqualTo(notAnIndicator);

        DeadLetter garbled = letters.get(1);
        assertThat(garbled.getErrorKind()).isEqualTo(ErrorKind.DESERIALIZATION);
        assertThat(garbled.getOriginalOffset()).isEqualTo(2L);
        assertThat(garbled.getOriginalKey()).isEqualTo(ByteBuffer.wrap("d-4".getBytes(StandardCharsets.UTF_8)));
        assertThat(garbled.getOriginalValue()).isEqualTo(ByteBuffer.wrap(undecodable));
        assertThat(garbled.getError()).contains("magic byte");

        DeadLetter misKeyed = letters.get(2);
        assertThat(misKeyed.getErrorKind()).isEqualTo(ErrorKind.VALIDATION);
        assertThat(misKeyed.getError()).contains("d-5", "keyed by '0904 038 115'", "tel:+84904038115");
        assertThat(misKeyed.getOriginalOffset()).isEqualTo(4L);

        assertThat(metrics.count("bhxh_processor_dead_letters", "kind", "VALIDATION")).isEqualTo(2);
        assertThat(metrics.count("bhxh_processor_dead_letters", "kind", "DESERIALIZATION")).isEqualTo(1);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static Decision decision(String id, String indicator) {
        return Decision.newBuilder()
                .setDecisionId(id)
                .setAction(DecisionAction.DELIST)
                .setIndicator(indicator)
                .setActor("operator-thanh-hoa-2")
                .setProvince("thanh-hoa")
                .setReason("khiếu nại 14/2026")
                .setDecidedAt(DECIDED)
                .build();
    }
}
