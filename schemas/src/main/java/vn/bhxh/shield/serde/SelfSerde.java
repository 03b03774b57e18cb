package vn.bhxh.shield.serde;

import java.util.Map;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde that is its own serializer and deserializer, so one object can be named as a Streams serde, a producer's
 * {@code value.serializer} and a consumer's {@code value.deserializer}. By default it needs no configuration and
 * holds nothing to close.
 */
public interface SelfSerde<T> extends Serde<T>, Serializer<T>, Deserializer<T> {

    @Override
    default Serializer<T> serializer() {
        return this;
    }

    @Override
    default Deserializer<T> deserializer() {
        return this;
    }

    @Override
    default void configure(Map<String, ?> configs, boolean isKey) {
        // Built with everything it needs.
    }

    @Override
    default void close() {
        // Nothing to release.
    }
}
