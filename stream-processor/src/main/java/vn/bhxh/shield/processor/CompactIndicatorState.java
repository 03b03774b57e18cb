package vn.bhxh.shield.processor;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.kafka.common.errors.SerializationException;
import vn.bhxh.shield.lookup.IndicatorStatus.AuditStep;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.ListingReason;
import vn.bhxh.shield.schema.ScamRequest;

/**
 * Format 3 of {@link IndicatorStateSerde}: the same fields as format 2 in about a third of the bytes (a hot
 * state's sightings are nearly all of it; see docs/state-format.md for the figures).
 * <ul>
 *   <li>Reporter pseudonyms (ingest's HMAC-SHA256 in lowercase hex, 64 characters) as their 32 raw bytes, once
 *   per record: the first sighting of a reporter carries it, later ones (the same reporter in another hour,
 *   channel or province) its index. A pseudonym that is not lowercase hex (older test data, the benchmark's
 *   loader) is kept as text.</li>
 *   <li>Submitting accounts, provinces and audit actions and actors once per record in a table of names, pointed
 *   into by index (0 for null, else index + 1).</li>
 *   <li>Enums as small numbers from {@link EnumCodes} tables, never their ordinal.</li>
 *   <li>Times as zig-zag varint deltas: a sighting's first time from the previous sighting's, its last and entry
 *   times from its first; the state's other times from its first seen. Deltas of hours take 4 bytes where an
 *   epoch millisecond takes 6.</li>
 *   <li>Which nullable fields are present, the booleans and the proposal's escalation in one bit set.</li>
 * </ul>
 * Order and duplicates of every list are kept as they are, so what is read equals what was written.
 */
final class CompactIndicatorState {

    static final int FORMAT = 3;

    static final EnumCodes<Channel> CHANNELS = EnumCodes.of(Channel.class, null, Map.of(
            Channel.HOTLINE, 0, Channel.FANPAGE, 1, Channel.POLICE, 2));
    static final EnumCodes<ScamRequest> REQUESTS = EnumCodes.of(ScamRequest.class, ScamRequest.OTHER, Map.of(
            ScamRequest.OTP, 0, ScamRequest.PASSWORD, 1, ScamRequest.MONEY_TRANSFER, 2,
            ScamRequest.PERSONAL_DATA, 3, ScamRequest.VISIT_OFFICE, 4, ScamRequest.CLICK_LINK, 5,
            ScamRequest.SCAN_QR, 6, ScamRequest.OTHER, 7));
    static final EnumCodes<BlocklistStatus> STATUSES = EnumCodes.of(BlocklistStatus.class, BlocklistStatus.UNKNOWN,
            Map.of(BlocklistStatus.UNKNOWN, 0, BlocklistStatus.LISTED, 1, BlocklistStatus.CONFIRMED, 2));
    static final EnumCodes<ListingReason> REASONS = EnumCodes.of(ListingReason.class, ListingReason.UNKNOWN,
            Map.of(ListingReason.UNKNOWN, 0, ListingReason.POLICE_CONFIRMED, 1,
                    ListingReason.OFFICER_CONFIRMED, 2, ListingReason.CROWD_AUTO_LISTED, 3));

    // The bits of the state's flags.
    private static final int FIRST_SEEN = 1;
    private static final int LAST_SEEN = 1 << 1;
    private static final int LISTING = 1 << 2;
    private static final int PROPOSAL = 1 << 3;
    private static final int ESCALATED = 1 << 4;
    private static final int WARNED_UP_TO = 1 << 5;
    private static final int SPOOF_ALERTED_AT = 1 << 6;
    private static final int DELISTED_AT = 1 << 7;
    private static final int REJECTED_AT = 1 << 8;
    private static final int OFFICIAL = 1 << 9;
    private static final int UNALLOWLISTED_AT = 1 << 10;
    private static final int INDEXED_AT = 1 << 11;
    private static final int ENTRY_IN_OLD_FORM = 1 << 12;
    private static final int KNOWN_FLAGS = (1 << 13) - 1;
    // The bits of an audit step's flags.
    private static final int STEP_AT = 1;
    private static final int STEP_REASON = 1 << 1;
    // A sighting's reporter: the index of one an earlier sighting introduced, or one of these, then it.
    private static final int NEW_SHA256_HEX = -1;
    private static final int NEW_HEX = -2;
    private static final int NEW_TEXT = -3;
    private static final int SHA256_BYTES = 32;

    private static final HexFormat HEX = HexFormat.of();

    private CompactIndicatorState() {
    }

    static void write(IndicatorState state, BinaryEncoder out) throws IOException {
        Map<String, Integer> names = new LinkedHashMap<>();
        for (Sighting sighting : state.sightings) {
            intern(names, sighting.account());
            intern(names, sighting.province());
        }
        state.provincesEver.forEach(name -> intern(names, name));
        state.accountsEver.forEach(name -> intern(names, name));
        state.accountsAtRejection.forEach(name -> intern(names, name));
        for (AuditStep step : state.audit) {
            intern(names, step.action());
            intern(names, step.actor());
        }
        long base = state.firstSeen == null ? 0 : state.firstSeen;

        out.writeInt(flags(state));
        if (state.firstSeen != null) {
            out.writeLong(state.firstSeen);
        }
        out.writeInt(names.size());
        for (String name : names.keySet()) {
            out.writeString(name);
        }

        out.writeInt(state.sightings.size());
        long previousFirst = base;
        // Sized for the record up front: growing it was 4 % of the stream thread in the full benchmark at 1,000/s.
        Map<String, Integer> reporters = new HashMap<>(state.sightings.size() * 4 / 3 + 1);
        byte[] scratch = new byte[SHA256_BYTES];
        for (Sighting sighting : state.sightings) {
            Integer seen = reporters.putIfAbsent(sighting.reporter(), reporters.size());
            if (seen != null) {
                out.writeInt(seen);
            } else {
                writePseudonym(out, sighting.reporter(), scratch);
            }
            out.writeLong(sighting.first() - previousFirst);
            previousFirst = sighting.first();
            out.writeLong(sighting.last() - sighting.first());
            out.writeLong(sighting.entered() - sighting.first());
            out.writeInt(reference(names, sighting.account()));
            out.writeInt(CHANNELS.code(sighting.channel()));
            out.writeInt(reference(names, sighting.province()));
            out.writeInt(sighting.requested().size());
            for (ScamRequest request : sighting.requested()) {
                out.writeInt(REQUESTS.code(request));
            }
            out.writeLong(sighting.amountLostVnd());
            out.writeInt(sighting.reports());
        }
        out.writeInt(state.sampleNotes.size());
        for (String note : state.sampleNotes) {
            out.writeString(note);
        }

        writeTime(out, state.lastSeen, base);
        if (state.listing != null) {
            out.writeInt(STATUSES.code(state.listing.status()));
            out.writeInt(REASONS.code(state.listing.reasonCode()));
            out.writeLong(state.listing.listedAt() - base);
            out.writeLong(state.listing.expiresAt() - state.listing.listedAt());
        }
        if (state.proposal != null) {
            out.writeLong(state.proposal.proposedAt() - base);
            out.writeLong(state.proposal.windowEnd() - base);
        }
        writeTime(out, state.warnedUpTo, base);
        writeTime(out, state.spoofAlertedAt, base);
        writeTime(out, state.delistedAt, base);
        writeTime(out, state.rejectedAt, base);
        writeTime(out, state.unallowlistedAt, base);
        writeTime(out, state.indexedAt, base);
        writeReferences(out, names, state.accountsAtRejection);
        writeReferences(out, names, state.provincesEver);
        writeReferences(out, names, state.accountsEver);

        out.writeInt(state.audit.size());
        long previousAt = base;
        for (AuditStep step : state.audit) {
            out.writeInt((step.at() != null ? STEP_AT : 0) | (step.reason() != null ? STEP_REASON : 0));
            if (step.at() != null) {
                out.writeLong(step.at().toEpochMilli() - previousAt);
                previousAt = step.at().toEpochMilli();
            }
            out.writeInt(reference(names, step.action()));
            out.writeInt(reference(names, step.actor()));
            if (step.reason() != null) {
                out.writeString(step.reason());
            }
        }
    }

    static IndicatorState read(BinaryDecoder in) throws IOException {
        int flags = in.readInt();
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new SerializationException("unknown state flags " + Integer.toHexString(flags));
        }
        IndicatorState state = new IndicatorState();
        state.firstSeen = (flags & FIRST_SEEN) != 0 ? in.readLong() : null;
        long base = state.firstSeen == null ? 0 : state.firstSeen;
        List<String> names = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            names.add(in.readString());
        }

        long first = base;
        List<String> reporters = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            String reporter = readPseudonym(in, reporters);
            first += in.readLong();
            long last = first + in.readLong();
            long entered = first + in.readLong();
            String account = name(in, names);
            Channel channel = CHANNELS.constant(in.readInt());
            String province = name(in, names);
            List<ScamRequest> requested = new ArrayList<>();
            for (int j = count(in); j > 0; j--) {
                requested.add(REQUESTS.constant(in.readInt()));
            }
            state.sightings.add(new Sighting(first, last, reporter, account, entered, channel, province,
                    List.copyOf(requested), in.readLong(), in.readInt()));
        }
        for (int i = count(in); i > 0; i--) {
            state.sampleNotes.add(in.readString());
        }

        state.lastSeen = readTime(in, flags, LAST_SEEN, base);
        if ((flags & LISTING) != 0) {
            BlocklistStatus status = STATUSES.constant(in.readInt());
            ListingReason reason = REASONS.constant(in.readInt());
            long listedAt = base + in.readLong();
            state.listing = new IndicatorState.Listing(status, reason, listedAt, listedAt + in.readLong());
        }
        if ((flags & PROPOSAL) != 0) {
            state.proposal = new IndicatorState.Proposal(base + in.readLong(), base + in.readLong(),
                    (flags & ESCALATED) != 0);
        }
        state.warnedUpTo = readTime(in, flags, WARNED_UP_TO, base);
        state.spoofAlertedAt = readTime(in, flags, SPOOF_ALERTED_AT, base);
        state.delistedAt = readTime(in, flags, DELISTED_AT, base);
        state.rejectedAt = readTime(in, flags, REJECTED_AT, base);
        state.unallowlistedAt = readTime(in, flags, UNALLOWLISTED_AT, base);
        state.indexedAt = readTime(in, flags, INDEXED_AT, base);
        state.official = (flags & OFFICIAL) != 0;
        state.entryInOldForm = (flags & ENTRY_IN_OLD_FORM) != 0;
        readNames(in, names, state.accountsAtRejection);
        readNames(in, names, state.provincesEver);
        readNames(in, names, state.accountsEver);

        long previousAt = base;
        for (int i = count(in); i > 0; i--) {
            int stepFlags = in.readInt();
            Instant at = null;
            if ((stepFlags & STEP_AT) != 0) {
                previousAt += in.readLong();
                at = Instant.ofEpochMilli(previousAt);
            }
            String action = name(in, names);
            String actor = name(in, names);
            state.audit.add(new AuditStep(at, action, actor, (stepFlags & STEP_REASON) != 0 ? in.readString() : null));
        }
        return state;
    }

    private static int flags(IndicatorState state) {
        return (state.firstSeen != null ? FIRST_SEEN : 0)
                | (state.lastSeen != null ? LAST_SEEN : 0)
                | (state.listing != null ? LISTING : 0)
                | (state.proposal != null ? PROPOSAL : 0)
                | (state.proposal != null && state.proposal.escalated() ? ESCALATED : 0)
                | (state.warnedUpTo != null ? WARNED_UP_TO : 0)
                | (state.spoofAlertedAt != null ? SPOOF_ALERTED_AT : 0)
                | (state.delistedAt != null ? DELISTED_AT : 0)
                | (state.rejectedAt != null ? REJECTED_AT : 0)
                | (state.official ? OFFICIAL : 0)
                | (state.unallowlistedAt != null ? UNALLOWLISTED_AT : 0)
                | (state.indexedAt != null ? INDEXED_AT : 0)
                | (state.entryInOldForm ? ENTRY_IN_OLD_FORM : 0);
    }

    /**
     * A SHA-256 in lowercase hex is checked and turned into its bytes in one pass into {@code scratch} (reused for
     * the record): the hex of every distinct reporter of a hot state is rewritten at each commit, and parsing it
     * apart from the check (a new array each time) was 6 % of the stream thread in the full benchmark.
     */
    private static void writePseudonym(BinaryEncoder out, String pseudonym, byte[] scratch) throws IOException {
        if (pseudonym.length() == 2 * SHA256_BYTES && sha256Hex(pseudonym, scratch)) {
            out.writeInt(NEW_SHA256_HEX);
            out.writeFixed(scratch);
        } else if (isLowercaseHex(pseudonym)) {
            out.writeInt(NEW_HEX);
            out.writeBytes(HEX.parseHex(pseudonym));
        } else {
            out.writeInt(NEW_TEXT);
            out.writeString(pseudonym);
        }
    }

    /** Whether {@code hex} (64 characters) is lowercase hex; its bytes in {@code into} if so. */
    private static boolean sha256Hex(String hex, byte[] into) {
        for (int i = 0; i < SHA256_BYTES; i++) {
            int high = lowercaseHexDigit(hex.charAt(2 * i));
            int low = lowercaseHexDigit(hex.charAt(2 * i + 1));
            if ((high | low) < 0) {
                return false;
            }
            into[i] = (byte) (high << 4 | low);
        }
        return true;
    }

    private static int lowercaseHexDigit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }

    private static String readPseudonym(BinaryDecoder in, List<String> reporters) throws IOException {
        int reference = in.readInt();
        if (reference >= 0) {
            return reporters.get(checked(reference, reporters.size()));
        }
        String pseudonym = switch (reference) {
            case NEW_SHA256_HEX -> {
                byte[] bytes = new byte[SHA256_BYTES];
                in.readFixed(bytes);
                yield HEX.formatHex(bytes);
            }
            case NEW_HEX -> HEX.formatHex(in.readBytes(null).array());
            case NEW_TEXT -> in.readString();
            default -> throw new SerializationException("unknown pseudonym form " + reference);
        };
        reporters.add(pseudonym);
        return pseudonym;
    }

    /** What ingest's pseudonymiser writes (Guava's HashCode in hex): it reads back from its bytes as it was. */
    static boolean isLowercaseHex(String text) {
        if (text.isEmpty() || text.length() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Written only when present (its bit is in the flags), as a delta from {@code base}. */
    private static void writeTime(BinaryEncoder out, Long time, long base) throws IOException {
        if (time != null) {
            out.writeLong(time - base);
        }
    }

    private static Long readTime(BinaryDecoder in, int flags, int bit, long base) throws IOException {
        return (flags & bit) != 0 ? base + in.readLong() : null;
    }

    private static void writeReferences(BinaryEncoder out, Map<String, Integer> names, Collection<String> values)
            throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            out.writeInt(names.get(value));
        }
    }

    private static void readNames(BinaryDecoder in, List<String> names, Collection<String> into) throws IOException {
        for (int i = count(in); i > 0; i--) {
            into.add(names.get(index(in, names.size())));
        }
    }

    /** A name by reference: 0 for null. */
    private static String name(BinaryDecoder in, List<String> names) throws IOException {
        int reference = in.readInt();
        return reference == 0 ? null : names.get(checked(reference - 1, names.size()));
    }

    private static int index(BinaryDecoder in, int size) throws IOException {
        return checked(in.readInt(), size);
    }

    private static int checked(int index, int size) {
        if (index < 0 || index >= size) {
            throw new SerializationException("reference " + index + " outside a table of " + size);
        }
        return index;
    }

    /** A count of items that follow: lists are built as they are read, so a corrupt count ends in EOF, not OOM. */
    static int count(BinaryDecoder in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new SerializationException("negative count " + count);
        }
        return count;
    }

    private static void intern(Map<String, Integer> names, String name) {
        if (name != null) {
            names.putIfAbsent(name, names.size());
        }
    }

    private static int reference(Map<String, Integer> names, String name) {
        return name == null ? 0 : names.get(name) + 1;
    }
}
