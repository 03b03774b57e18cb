package vn.bhxh.shield.processor;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import vn.bhxh.shield.topic.Topics;

/**
 * {@link IndicatorInput} on the repartition topic: one tag byte, then the Report or Decision in the Confluent
 * wire format. Each is encoded under the subject of the topic it came from, where its schema is already
 * registered, so the repartition topic adds no subject and the two schemas never meet under one subject.
 */
final class IndicatorInputSerde implements Serde<IndicatorInput>, Serializer<IndicatorInput>,
        Deserializer<IndicatorInput> {

    private static final byte REPORT = 'R';
    private static final byte DECISION = 'D';

    private final Topics topics;

    IndicatorInputSerde(Topics topics) {
        this.topics = topics;
    }

    @Override
    public byte[] serialize(String topic, IndicatorInput input) {
        if (input instanceof IndicatorInput.ReportSeen seen) {
            return tagged(REPORT, topics.reports().valueSerde().serializer().serialize(Topics.REPORTS, seen.report()));
        }
        var taken = (IndicatorInput.DecisionTaken) input;
        return tagged(DECISION,
                topics.decisions().valueSerde().serializer().serialize(Topics.DECISIONS, taken.decision()));
    }

    @Override
    public IndicatorInput deserialize(String topic, byte[] data) {
        byte[] value = Arrays.copyOfRange(data, 1, data.length);
        return switch (data[0]) {
            case REPORT -> new IndicatorInput.ReportSeen(
                    topics.reports().valueSerde().deserializer().deserialize(topic, value));
            case DECISION -> new IndicatorInput.DecisionTaken(
                    topics.decisions().valueSerde().deserializer().deserialize(topic, value));
            default -> throw new SerializationException("unknown indicator input tag " + data[0] + " on " + topic);
        };
    }

    private static byte[] tagged(byte tag, byte[] value) {
        return ByteBuffer.allocate(1 + value.length).put(tag).put(value).array();
    }

    @Override
    public Serializer<IndicatorInput> serializer() {
        return this;
    }

    @Override
    public Deserializer<IndicatorInput> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Built with everything it needs.
    }

    @Override
    public void close() {
        // The topic serdes are shared with the rest of the topology and closed with it.
    }
}
