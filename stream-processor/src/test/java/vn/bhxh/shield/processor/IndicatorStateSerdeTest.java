package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
        // Written again, it is format 3 and reads back the same.
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

    @Test
    void writesFormatThree() {
        assertThat(serde.serialize(STORE, full())[0]).isEqualTo((byte) 3);
    }

    /** Property: any state, read back from format 3, equals what was written (and field by field). */
    @Test
    void roundTripsAnyStateInFormatThree() {
        RandomStates states = new RandomStates(20261205);
        for (int i = 0; i < 500; i++) {
            IndicatorState state = states.any();
            IndicatorState read = serde.deserialize(STORE, serde.serialize(STORE, state));
            assertThat(read).as("state %d", i).isEqualTo(state);
            assertSame(read, state);
        }
    }

    /** A store or changelog from before format 3 holds format 2: every state in it is read as written. */
    @Test
    void readsAnyStateWrittenInFormatTwo() {
        RandomStates states = new RandomStates(14);
        for (int i = 0; i < 500; i++) {
            IndicatorState state = states.any();
            byte[] format2 = StateFormat2.serialize(STORE, state);
            assertThat(format2[0]).isEqualTo((byte) 2);
            assertThat(serde.deserialize(STORE, format2)).as("state %d", i).isEqualTo(state);
        }
    }

    /** The first phase of a rolling upgrade from a build before format 3 writes what that build reads. */
    @Test
    void writesFormatTwoWhenToldAndNothingElseButTwoOrThree() {
        IndicatorStateSerde phaseOne = new IndicatorStateSerde(2);
        byte[] bytes = phaseOne.serialize(STORE, full());
        assertThat(bytes[0]).isEqualTo((byte) 2);
        assertSame(phaseOne.deserialize(STORE, bytes), full());
        assertSame(phaseOne.deserialize(STORE, serde.serialize(STORE, full())), full());
        assertThatThrownBy(() -> new IndicatorStateSerde(1)).hasMessageContaining("PROCESSOR_STATE_FORMAT");
    }

    @Test
    void readsTheFullStateWrittenInFormatTwoAndWritesItSmallerInFormatThree() {
        IndicatorState state = full();
        IndicatorState read = serde.deserialize(STORE, StateFormat2.serialize(STORE, state));
        assertSame(read, state);
        assertThat(serde.serialize(STORE, read).length).isLessThan(StateFormat2.serialize(STORE, state).length);
    }

    /**
     * A hot number's state (what every report of it reads and each commit writes), from the benchmark's realistic
     * mix: 256 sightings of nearly all distinct reporters. Measured: format 3 is 40 % of format 2 (13.6 of 34 kB;
     * docs/state-format.md), two fifths of it the reporters' 32-byte pseudonyms.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void aHotStateTakesAtMost45PercentOfItsFormatTwoBytes(int seed) {
        IndicatorState hot = new RandomStates(seed).hot(256);
        int format2 = StateFormat2.serialize(STORE, hot).length;
        int format3 = serde.serialize(STORE, hot).length;
        System.out.printf("hot state %d: format 2 %d bytes, format 3 %d bytes (%.1f %%)%n", seed, format2, format3,
                100.0 * format3 / format2);
        assertThat((double) format3 / format2).isLessThanOrEqualTo(0.45);
        assertThat(serde.deserialize(STORE, serde.serialize(STORE, hot))).isEqualTo(hot);
    }

    /**
     * Most indicators are reported once. Measured: format 3 is 61 % of format 2 for those (155 of 254 bytes), its
     * sample note two fifths of it.
     */
    @Test
    void aStateOfOneReportTakesAtMost65PercentOfItsFormatTwoBytes() {
        RandomStates states = new RandomStates(4);
        long format2 = 0;
        long format3 = 0;
        for (int i = 0; i < 1_000; i++) {
            IndicatorState state = states.reportedOnce();
            format2 += StateFormat2.serialize(STORE, state).length;
            format3 += serde.serialize(STORE, state).length;
        }
        System.out.printf("state of one report: format 2 %.1f bytes, format 3 %.1f bytes (%.1f %%)%n",
                format2 / 1_000.0, format3 / 1_000.0, 100.0 * format3 / format2);
        assertThat((double) format3 / format2).isLessThanOrEqualTo(0.65);
    }

    @Test
    void keepsIngestsPseudonymsAsTheirBytesAndAnyOtherTextAsItIs() {
        String pseudonym = RandomStates.pseudonym("0904038115");
        assertThat(CompactIndicatorState.isLowercaseHex(pseudonym)).isTrue();
        assertThat(CompactIndicatorState.isLowercaseHex(pseudonym.toUpperCase(java.util.Locale.ROOT))).isFalse();
        assertThat(CompactIndicatorState.isLowercaseHex("abc")).isFalse();
        assertThat(CompactIndicatorState.isLowercaseHex("")).isFalse();
        IndicatorState hex = oneSighting(pseudonym);
        IndicatorState text = oneSighting("x".repeat(pseudonym.length()));
        // 64 hex characters are 32 bytes, and need no length: 64 + 2 bytes of length as text.
        assertThat(serde.serialize(STORE, text).length - serde.serialize(STORE, hex).length).isEqualTo(34);
        for (String reporter : List.of(pseudonym, pseudonym.toUpperCase(java.util.Locale.ROOT), "0a1", "bench-3f2a")) {
            assertThat(serde.deserialize(STORE, serde.serialize(STORE, oneSighting(reporter))).sightings)
                    .extracting(Sighting::reporter).containsExactly(reporter);
        }
    }

    /** The codes are written down: changing one would make every stored state say something else. */
    @Test
    void enumCodesAreFixedAndUnknownCodesReadAsTheEnumsDefault() {
        assertThat(Arrays.stream(Channel.values()).map(CompactIndicatorState.CHANNELS::code))
                .containsExactly(0, 1, 2);
        assertThat(List.of(ScamRequest.OTP, ScamRequest.PASSWORD, ScamRequest.MONEY_TRANSFER,
                ScamRequest.PERSONAL_DATA, ScamRequest.VISIT_OFFICE, ScamRequest.CLICK_LINK, ScamRequest.SCAN_QR,
                ScamRequest.OTHER)).extracting(CompactIndicatorState.REQUESTS::code)
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(List.of(BlocklistStatus.UNKNOWN, BlocklistStatus.LISTED, BlocklistStatus.CONFIRMED))
                .extracting(CompactIndicatorState.STATUSES::code).containsExactly(0, 1, 2);
        assertThat(List.of(ListingReason.UNKNOWN, ListingReason.POLICE_CONFIRMED, ListingReason.OFFICER_CONFIRMED,
                ListingReason.CROWD_AUTO_LISTED)).extracting(CompactIndicatorState.REASONS::code)
                .containsExactly(0, 1, 2, 3);

        assertThat(CompactIndicatorState.REQUESTS.constant(42)).isEqualTo(ScamRequest.OTHER);
        assertThat(CompactIndicatorState.STATUSES.constant(42)).isEqualTo(BlocklistStatus.UNKNOWN);
        assertThat(CompactIndicatorState.REASONS.constant(42)).isEqualTo(ListingReason.UNKNOWN);
        // A channel decides a reporter's weight: one this build does not know is not guessed.
        assertThatThrownBy(() -> CompactIndicatorState.CHANNELS.constant(42))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Channel code 42");
    }

    @Test
    void aTableWithoutACodeForEveryConstantIsRefused() {
        assertThatThrownBy(() -> EnumCodes.of(Channel.class, null, java.util.Map.of(Channel.HOTLINE, 0,
                Channel.FANPAGE, 1))).hasMessageContaining("Channel.POLICE has no stored-state code");
        assertThatThrownBy(() -> EnumCodes.of(Channel.class, null, java.util.Map.of(Channel.HOTLINE, 0,
                Channel.FANPAGE, 1, Channel.POLICE, 1))).hasMessageContaining("share code 1");
    }

    /**
     * Equality decides whether a state is written down at all (IndicatorStateCache): a field it missed would be a
     * change lost. Changing any one field of a state makes it unequal.
     */
    @Test
    void everyFieldTakesPartInEquality() throws IllegalAccessException {
        IndicatorState state = full();
        IndicatorState other = new RandomStates(7).hot(3);
        other.official = !state.official;
        other.entryInOldForm = !state.entryInOldForm;
        other.delistedAt = 1L;
        List<Field> fields = Arrays.stream(IndicatorState.class.getDeclaredFields())
                .filter(field -> !Modifier.isStatic(field.getModifiers())).toList();
        assertThat(fields).hasSize(18);
        for (Field field : fields) {
            IndicatorState changed = state.copy();
            assertThat(changed).isEqualTo(state).hasSameHashCodeAs(state);
            assertThat(field.get(other)).as(field.getName()).isNotEqualTo(field.get(state));
            field.set(changed, field.get(other));
            assertThat(changed).as(field.getName()).isNotEqualTo(state);
        }
    }

    private static IndicatorState oneSighting(String reporter) {
        IndicatorState state = new IndicatorState();
        state.sightings.add(new Sighting(1_000L, 1_000L, reporter, "operator-7", 1_030L, Channel.HOTLINE,
                "thanh-hoa", List.of(ScamRequest.OTP), 0L, 1));
        return state;
    }
}
