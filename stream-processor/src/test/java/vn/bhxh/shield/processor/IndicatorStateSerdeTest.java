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
import vn.bhxh.shield.schema.ListingReason;
import vn.bhxh.shield.schema.ScamRequest;

class IndicatorStateSerdeTest {

    private static final String STORE = IndicatorProcessor.STORE;
    private final IndicatorStateSerde serde = new IndicatorStateSerde();

    /** Every field set, nullable ones both ways, non-ASCII text. */
    private static IndicatorState full() {
        IndicatorState state = new IndicatorState();
        state.sightings.add(new Sighting(1_000L, 2_000L, "reporter-a", "operator-7", 1_030L, Channel.HOTLINE,
                "thanh-hoa", List.of(ScamRequest.OTP, ScamRequest.MONEY_TRANSFER), 5_000_000L, 3));
        state.sightings.add(new Sighting(-5L, -5L, "reporter-b", null, 0L, Channel.FANPAGE, null, List.of(), 0L,
                1));
        state.sampleNotes.addAll(List.of("Tự xưng cán bộ BHXH, đòi mã OTP", "gọi lúc 9 giờ"));
        state.firstSeen = -5L;
        state.lastSeen = 2_000L;
        state.listing = new IndicatorState.Listing(BlocklistStatus.CONFIRMED, ListingReason.POLICE_CONFIRMED,
                3_000L, Long.MAX_VALUE);
        state.proposal = new IndicatorState.Proposal(2_100L, 2_000L, true);
        state.warnedUpTo = 2_500L;
        state.delistedAt = null;
        state.rejectedAt = 1_900L;
        state.accountsAtRejection.add("operator-7");
        state.spoofAlertedAt = 42L;
        state.official = true;
        state.unallowlistedAt = 77L;
        state.provincesEver.addAll(List.of("thanh-hoa", "nghe-an"));
        state.accountsEver.addAll(List.of("operator-7", "fanpage-123"));
        state.indexedAt = 9_000L;
        state.entryInOldForm = true;
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

    /**
     * Written by format 1 (the build before submitting accounts and proposals): a police listing whose reason text
     * named the unit and case, sightings from Thanh Hóa and Nghệ An.
     */
    private static final String FORMAT_1_POLICE_LISTING = "0104d00fa01f147265706f727465722d610e484f544c494e4501127468"
            + "616e682d686f6102064f54500080ade20406b817b81708756e69740c504f4c494345010e6e6768652d616e00000200023254e1bb"
            + "b12078c6b06e672063c3a16e2062e1bb9920424858480001d00f01a01f0112434f4e4649524d454401980143c6a1207175616e20"
            + "63c3b46e6720616e2078c3a163206e68e1baad6e206cc3a02073e1bb912f6bc3aa6e68206ce1bbab6120c491e1baa36f2028756e"
            + "69742d6130352c2043562d3132292ef02ec03e0188270000000201f02e0112434f4e4649524d45440110756e69742d613035010a"
            + "43562d313200";

    @Test
    void readsFormatOneAsAPoliceListingWhoseEntryIsToBeSentAgain() {
        IndicatorState state = serde.deserialize(STORE, java.util.HexFormat.of().parseHex(FORMAT_1_POLICE_LISTING));
        assertThat(state.listing).isEqualTo(new IndicatorState.Listing(BlocklistStatus.CONFIRMED,
                ListingReason.POLICE_CONFIRMED, 3_000L, 4_000L));
        assertThat(state.sightings).extracting(Sighting::reporter, Sighting::account, Sighting::reports)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("reporter-a", null, 3),
                        org.assertj.core.groups.Tuple.tuple("unit", null, 1));
        assertThat(state.provincesEver).containsExactly("nghe-an", "thanh-hoa");
        assertThat(state.entryInOldForm).isTrue();
        assertThat(state.proposal).isNull();
        assertThat(state.audit).extracting(AuditStep::actor).containsExactly("unit-a05");
        // Written again, it is format 2 and reads back the same.
        assertSame(serde.deserialize(STORE, serde.serialize(STORE, state)), state);
    }

    @Test
    void readsStateWrittenAsJsonBeforeTheBinaryForm() {
        IndicatorState state = full();
        state.listing = new IndicatorState.Listing(BlocklistStatus.LISTED, null, 3_000L, 4_000L);
        byte[] json = new JsonSerde<>(IndicatorState.class).serialize(STORE, state);
        IndicatorState read = serde.deserialize(STORE, json);
        assertThat(read.listing.reasonCode()).isEqualTo(ListingReason.CROWD_AUTO_LISTED);
        assertThat(read.entryInOldForm).isTrue();
        assertThat(read.sightings).isEqualTo(state.sightings);
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
