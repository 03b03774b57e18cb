package vn.bhxh.shield.processor;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import vn.bhxh.shield.runtime.JsonMappers;
import vn.bhxh.shield.serde.SelfSerde;

/**
 * JSON of our own Java types: the lookup API's answers, and the processor's state as it was stored before
 * {@link IndicatorStateSerde} (which still reads it). Not Avro: these types never leave the application and need
 * no registry subjects.
 */
final class JsonSerde<T> implements SelfSerde<T> {

    // Our own types are read by their fields, and state written by an older version may hold a field since removed.
    static final ObjectMapper MAPPER = JsonMappers.create()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);

    private final Class<T> type;

    JsonSerde(Class<T> type) {
        this.type = type;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        try {
            return data == null ? null : MAPPER.writeValueAsBytes(data);
        } catch (IOException e) {
            throw new SerializationException("cannot write " + type.getSimpleName() + " for " + topic, e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        try {
            return data == null ? null : MAPPER.readValue(data, type);
        } catch (IOException e) {
            throw new SerializationException("cannot read " + type.getSimpleName() + " from " + topic, e);
        }
    }
}
