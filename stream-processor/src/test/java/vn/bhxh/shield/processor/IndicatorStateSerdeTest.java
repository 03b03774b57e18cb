package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.lookup.IndicatorStatus.AuditStep;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.ScamRequest;

class IndicatorStateSerdeTest {

    private static final String STORE = IndicatorProcessor.STORE;
    private final IndicatorStateSerde serde = new IndicatorStateSerde();

    /** Every field set, nullable ones both ways, non-ASCII text. */
    private static IndicatorState full() {
        IndicatorState state = new IndicatorState();
        state.sightings.add(new Sighting(1_000L, 2_000L, "reporter-a", Channel.HOTLINE, "thanh-hoa",
                List.of(ScamRequest.OTP, ScamRequest.MONEY_TRANSFER), 5_000_000L, 3));
        state.sightings.add(new Sighting(-5L, -5L, "reporter-b", Channel.FANPAGE, null, List.of(), 0L, 1));
        state.sampleNotes.addAll(List.of("Tự xưng cán bộ BHXH, đòi mã OTP", "gọi lúc 9 giờ"));
        state.firstSeen = -5L;
        state.lastSeen = 2_000L;
        state.listing = new IndicatorState.Listing(BlocklistStatus.CONFIRMED, "Cơ quan công an xác nhận", 3_000L,
                Long.MAX_VALUE);
        state.warnedUpTo = 2_500L;
        state.delistedAt = null;
        state.spoofAlertedAt = 42L;
        state.official = true;
        state.audit.add(new AuditStep(Instant.ofEpochMilli(3_000L), "CONFIRMED", "police", null));
        state.audit.add(new AuditStep(Instant.ofEpochMilli(4_000L), "ACKNOWLEDGE", "thanhhoa", "đã gọi lại"));
        return state;
    }

    private static void assertSame(IndicatorState read, IndicatorState written) {
        assertThat(read).usingRecursiveComparison().isEqualTo(written);
    }

    @Test
    void roundTripsEveryField() {
        IndicatorState state = full();
        assertSame(serde.deserialize(STORE, serde.serialize(STORE, state)), state);
    }

    @Test
    void roundTripsAnEmptyState() {
        IndicatorState state = new IndicatorState();
        assertSame(serde.deserialize(STORE, serde.serialize(STORE, state)), state);
    }

    @Test
    void readsStateWrittenAsJsonBeforeTheBinaryForm() {
        IndicatorState state = full();
        byte[] json = new JsonSerde<>(IndicatorState.class).serialize(STORE, state);
        assertSame(serde.deserialize(STORE, json), state);
    }

    @Test
    void isMuchSmallerThanJson() {
        IndicatorState state = full();
        assertThat(serde.serialize(STORE, state).length)
                .isLessThan(new JsonSerde<>(IndicatorState.class).serialize(STORE, state).length / 2);
    }

    @Test
    void refusesTruncatedOrUnknownBytesWithASerializationException() {
        byte[] bytes = serde.serialize(STORE, full());
        assertThatThrownBy(() -> serde.deserialize(STORE, java.util.Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserialize(STORE, new byte[] {9, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown state format 9");
        assertThat(serde.deserialize(STORE, null)).isNull();
        assertThat(serde.serialize(STORE, null)).isNull();
    }
}
