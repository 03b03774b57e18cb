package vn.bhxh.shield.serde;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.registry.SchemaRegistryException;

/** Which decoding failures a consumer must retry at the same offset, and which it may dead-letter. */
class WireFormatExceptionTest {

    @Test
    void onlyTheRegistrysOwnNotFoundIsPermanent() {
        assertThat(fromRegistry(404, 40403).isTransient()).as("the registry says the id does not exist").isFalse();
        assertThat(fromRegistry(404, 40403).reason()).isEqualTo(WireFormatException.Reason.UNKNOWN_SCHEMA_ID);
        assertThat(fromRegistry(404, 404).isTransient()).as("a proxy's or a wrong path's 404 page").isTrue();
        assertThat(fromRegistry(SchemaRegistryException.NO_RESPONSE, -1).isTransient()).as("unreachable, timeout")
                .isTrue();
        assertThat(fromRegistry(503, 50301).isTransient()).isTrue();
        assertThat(fromRegistry(401, 401).isTransient()).isTrue();
        assertThat(fromRegistry(429, 429).isTransient()).isTrue();
        assertThat(fromRegistry(409, 409).isTransient()).as("an incompatible schema").isFalse();
    }

    @Test
    void badBytesArePermanent() {
        assertThat(new WireFormatException(WireFormatException.Reason.NOT_WIRE_FORMAT, "no magic byte").isTransient())
                .isFalse();
        assertThat(new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD, "truncated").isTransient())
                .isFalse();
    }

    @Test
    void isFoundThroughKafkasWrapper() {
        WireFormatException unavailable = fromRegistry(SchemaRegistryException.NO_RESPONSE, -1);
        var wrapped = new RecordDeserializationException(RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
                new TopicPartition("t", 0), 7, 0, TimestampType.CREATE_TIME, null, null, null, "cannot decode",
                unavailable);

        assertThat(WireFormatException.isTransient(wrapped)).isTrue();
        assertThat(WireFormatException.isTransient(new IllegalStateException("a bug"))).isFalse();
        assertThat(WireFormatException.isTransient(new IllegalStateException(
                new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD, "bad")))).isFalse();
    }

    private static WireFormatException fromRegistry(int status, int errorCode) {
        return WireFormatException.fromRegistry("topic 't', schema id 3",
                new SchemaRegistryException(status, errorCode, "answer"));
    }
}
