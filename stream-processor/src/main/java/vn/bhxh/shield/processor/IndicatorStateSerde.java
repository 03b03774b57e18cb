package vn.bhxh.shield.processor;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import vn.bhxh.shield.lookup.IndicatorStatus.AuditStep;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.ListingReason;
import vn.bhxh.shield.schema.ScamRequest;
import vn.bhxh.shield.serde.SelfSerde;

/**
 * {@link IndicatorState} in a compact binary form: read and written for every record the processor handles, it
 * was the largest cost of the indicator task as JSON (reflection, field names, dates as text). A format byte,
 * then the fields in a fixed order with Avro's primitive encoding (zig-zag varints, length-prefixed UTF-8).
 * Written in format 3 ({@link CompactIndicatorState}: pseudonyms as bytes, enums as small numbers from explicit
 * code tables, times as deltas, names once per record); formats 1 and 2 kept enums by name and every string
 * whole.
 * <p>
 * Values written by the earlier JSON form (they start with '{') and by formats 1 and 2 are still read, so a store
 * and its changelog from before migrate record by record as indicators are next written: no reset is needed. A
 * new field means a new format byte, read alongside the old ones. Format 3 changed only the encoding. Format 2
 * added each sighting's submitting account and entry time, the listing's reason code (format 1 kept a text naming
 * the police unit or officer), the proposal, the rejection, the unallowlisting, the provinces and accounts ever
 * seen, and the shell's due-index and entry-form bookkeeping. A state read from an older form has its blocklist entry marked as written in the old
 * form (with the audit trail) so that the upgrade sweep sends it again.
 */
final class IndicatorStateSerde implements SelfSerde<IndicatorState> {

    private static final int FORMAT_1 = 1;
    private static final int FORMAT_2 = 2;
    private static final int LEGACY_JSON = '{';

    private final JsonSerde<IndicatorState> legacy = new JsonSerde<>(IndicatorState.class);
    private final int writeFormat;

    /** Writes format 3. */
    IndicatorStateSerde() {
        this(CompactIndicatorState.FORMAT);
    }

    /** @param writeFormat 3, or 2 while instances of a build before format 3 still run (see {@link StateFormat2}) */
    IndicatorStateSerde(int writeFormat) {
        if (writeFormat != FORMAT_2 && writeFormat != CompactIndicatorState.FORMAT) {
            throw new IllegalArgumentException("PROCESSOR_STATE_FORMAT must be 2 or 3, got " + writeFormat);
        }
        this.writeFormat = writeFormat;
    }

    @Override
    public byte[] serialize(String topic, IndicatorState state) {
        if (state == null) {
            return null;
        }
        if (writeFormat == FORMAT_2) {
            return StateFormat2.serialize(topic, state);
        }
        return CompactEncoding.encode(CompactIndicatorState.FORMAT, 256,
                out -> CompactIndicatorState.write(state, out), () -> "the state for " + topic);
    }

    @Override
    public IndicatorState deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length > 0 && data[0] == LEGACY_JSON) {
            IndicatorState state = legacy.deserialize(topic, data);
            if (state.listing != null && state.listing.reasonCode() == null) {
                state.listing = new IndicatorState.Listing(state.listing.status(),
                        legacyReason(state.listing.status(), null), state.listing.listedAt(),
                        state.listing.expiresAt());
            }
            fromOlderForm(state);
            return state;
        }
        if (data.length == 0 || data[0] < FORMAT_1 || data[0] > CompactIndicatorState.FORMAT) {
            throw new SerializationException("unknown state format " + (data.length == 0 ? "(empty)" : data[0])
                    + " in " + topic);
        }
        int format = data[0];
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(data, 1, data.length - 1, null);
        try {
            if (format == CompactIndicatorState.FORMAT) {
                return whole(CompactIndicatorState.read(in), in, topic);
            }
            IndicatorState state = new IndicatorState();
            for (long n = in.readArrayStart(); n > 0; n = in.arrayNext()) {
                for (long i = 0; i < n; i++) {
                    long first = in.readLong();
                    long last = in.readLong();
                    String reporter = in.readString();
                    String account = format >= FORMAT_2 ? readNullableString(in) : null;
                    long entered = format >= FORMAT_2 ? in.readLong() : first;
                    Channel channel = Channel.valueOf(in.readString());
                    String province = readNullableString(in);
                    List<ScamRequest> requested = new ArrayList<>();
                    for (long m = in.readArrayStart(); m > 0; m = in.arrayNext()) {
                        for (long j = 0; j < m; j++) {
                            requested.add(ScamRequest.valueOf(in.readString()));
                        }
                    }
                    state.sightings.add(new Sighting(first, last, reporter, account, entered, channel, province,
                            List.copyOf(requested), in.readLong(), in.readInt()));
                }
            }
            readStrings(in, state.sampleNotes);
            state.firstSeen = readNullableLong(in);
            state.lastSeen = readNullableLong(in);
            if (in.readBoolean()) {
                BlocklistStatus status = BlocklistStatus.valueOf(in.readString());
                ListingReason reason = format >= FORMAT_2 ? ListingReason.valueOf(in.readString())
                        : legacyReason(status, readNullableString(in));
                state.listing = new IndicatorState.Listing(status, reason, in.readLong(), in.readLong());
            }
            if (format >= FORMAT_2 && in.readBoolean()) {
                state.proposal = new IndicatorState.Proposal(in.readLong(), in.readLong(), in.readBoolean());
            }
            state.warnedUpTo = readNullableLong(in);
            state.spoofAlertedAt = readNullableLong(in);
            state.delistedAt = readNullableLong(in);
            if (format >= FORMAT_2) {
                state.rejectedAt = readNullableLong(in);
                readStrings(in, state.accountsAtRejection);
            }
            state.official = in.readBoolean();
            if (format >= FORMAT_2) {
                state.unallowlistedAt = readNullableLong(in);
                readStrings(in, state.provincesEver);
                readStrings(in, state.accountsEver);
                state.indexedAt = readNullableLong(in);
                state.entryInOldForm = in.readBoolean();
            }
            for (long n = in.readArrayStart(); n > 0; n = in.arrayNext()) {
                for (long i = 0; i < n; i++) {
                    Long at = readNullableLong(in);
                    state.audit.add(new AuditStep(at == null ? null : Instant.ofEpochMilli(at),
                            readNullableString(in), readNullableString(in), readNullableString(in)));
                }
            }
            if (format == FORMAT_1) {
                fromOlderForm(state);
            }
            return whole(state, in, topic);
        } catch (SerializationException e) {
            throw e;
        } catch (IOException | RuntimeException e) { // truncated bytes, an enum symbol this build does not know
            throw new SerializationException("cannot read the state from " + topic + ": " + e, e);
        }
    }

    private static IndicatorState whole(IndicatorState state, BinaryDecoder in, String topic) throws IOException {
        if (!in.isEnd()) {
            throw new SerializationException("bytes left after the state in " + topic);
        }
        return state;
    }

    /**
     * What an older form did not keep: the provinces its sightings still show, and that its entry on the blocklist
     * carried the audit trail.
     */
    private static void fromOlderForm(IndicatorState state) {
        state.sightings.forEach(sighting -> state.remember(sighting.province(), null));
        state.entryInOldForm = state.listing != null;
    }

    /**
     * Older forms kept a text: police referrals wrote "Cơ quan công an xác nhận ...", operators' confirmations
     * "Xác nhận bởi ...", the crowd rules the counts (they listed without review).
     */
    static ListingReason legacyReason(BlocklistStatus status, String text) {
        if (status == BlocklistStatus.LISTED) {
            return ListingReason.CROWD_AUTO_LISTED;
        }
        return text != null && text.startsWith("Xác nhận bởi") ? ListingReason.OFFICER_CONFIRMED
                : ListingReason.POLICE_CONFIRMED;
    }

    private static void readStrings(BinaryDecoder in, Collection<String> into) throws IOException {
        for (long n = in.readArrayStart(); n > 0; n = in.arrayNext()) {
            for (long i = 0; i < n; i++) {
                into.add(in.readString());
            }
        }
    }

    private static Long readNullableLong(BinaryDecoder in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    private static String readNullableString(BinaryDecoder in) throws IOException {
        return in.readBoolean() ? in.readString() : null;
    }
}
