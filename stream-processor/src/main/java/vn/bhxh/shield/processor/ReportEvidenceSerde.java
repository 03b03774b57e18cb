package vn.bhxh.shield.processor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import vn.bhxh.shield.lookup.IndicatorEvidence.ReportEvidence;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.ContactMethod;
import vn.bhxh.shield.schema.ScamRequest;
import vn.bhxh.shield.serde.SelfSerde;

/**
 * One report kept as evidence ({@link EvidenceStore}), in the compact form of {@link CompactIndicatorState}: a
 * format byte, a bit set of what is present and how, then the fields with Avro's primitive encoding. Written once
 * per report and indicator, so every byte counts (docs/state-format.md has the figures): the report id (ingest's
 * UUID) as its 16 bytes, the reporter's pseudonym (HMAC-SHA256 in hex) as its 32, enums as codes from explicit
 * tables, occurredAt as a delta from receivedAt. Ids and pseudonyms in another form are kept as text.
 */
final class ReportEvidenceSerde implements SelfSerde<ReportEvidence> {

    static final int FORMAT = 1;

    static final EnumCodes<ContactMethod> CONTACT_METHODS = EnumCodes.of(ContactMethod.class, ContactMethod.OTHER,
            Map.of(ContactMethod.CALL, 0, ContactMethod.SMS, 1, ContactMethod.ZALO, 2, ContactMethod.FACEBOOK, 3,
                    ContactMethod.TIKTOK, 4, ContactMethod.WEBSITE, 5, ContactMethod.OTHER, 6));

    private static final int OCCURRED_AT = 1;
    private static final int PROVINCE = 1 << 1;
    private static final int CONTACT_METHOD = 1 << 2;
    private static final int NOTES = 1 << 3;
    private static final int PSEUDONYM_SHA256 = 1 << 4;
    private static final int KNOWN_FLAGS = (1 << 5) - 1;
    // A report id's form.
    private static final int ID_UUID = 0;
    private static final int ID_TEXT = 1;
    private static final int SHA256_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    @Override
    public byte[] serialize(String topic, ReportEvidence report) {
        if (report == null) {
            return null;
        }
        return CompactEncoding.encode(FORMAT, 160, out -> write(report, out),
                () -> "the evidence of report " + report.reportId());
    }

    private static void write(ReportEvidence report, BinaryEncoder out) throws IOException {
        boolean sha256 = report.reporterPseudonym().length() == 2 * SHA256_BYTES
                && CompactIndicatorState.isLowercaseHex(report.reporterPseudonym());
        out.writeInt((report.occurredAt() != null ? OCCURRED_AT : 0)
                | (report.province() != null ? PROVINCE : 0)
                | (report.contactMethod() != null ? CONTACT_METHOD : 0)
                | (report.notes() != null ? NOTES : 0)
                | (sha256 ? PSEUDONYM_SHA256 : 0));
        writeReportId(out, report.reportId());
        long received = report.receivedAt().toEpochMilli();
        out.writeLong(received);
        if (report.occurredAt() != null) {
            out.writeLong(report.occurredAt().toEpochMilli() - received);
        }
        if (report.province() != null) {
            out.writeString(report.province());
        }
        out.writeInt(CompactIndicatorState.CHANNELS.code(Channel.valueOf(report.channel())));
        if (report.contactMethod() != null) {
            out.writeInt(CONTACT_METHODS.code(ContactMethod.valueOf(report.contactMethod())));
        }
        out.writeInt(report.requested().size());
        for (String request : report.requested()) {
            out.writeInt(CompactIndicatorState.REQUESTS.code(ScamRequest.valueOf(request)));
        }
        out.writeLong(report.amountLostVnd());
        if (report.notes() != null) {
            out.writeString(report.notes());
        }
        out.writeString(report.submittedBy());
        if (sha256) {
            out.writeFixed(HEX.parseHex(report.reporterPseudonym()));
        } else {
            out.writeString(report.reporterPseudonym());
        }
        out.writeInt(report.coIndicators().size());
        for (String other : report.coIndicators()) {
            out.writeString(other);
        }
    }

    @Override
    public ReportEvidence deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length == 0 || data[0] != FORMAT) {
            throw new SerializationException("unknown evidence format " + (data.length == 0 ? "(empty)" : data[0])
                    + " in " + topic);
        }
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(data, 1, data.length - 1, null);
        try {
            ReportEvidence report = read(in);
            if (!in.isEnd()) {
                throw new SerializationException("bytes left after the evidence of report " + report.reportId());
            }
            return report;
        } catch (IOException e) {
            throw new SerializationException("cannot read evidence from " + topic, e);
        }
    }

    private static ReportEvidence read(BinaryDecoder in) throws IOException {
        int flags = in.readInt();
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new SerializationException("unknown evidence flags " + Integer.toHexString(flags));
        }
        String reportId = readReportId(in);
        long received = in.readLong();
        Instant occurredAt = (flags & OCCURRED_AT) != 0 ? Instant.ofEpochMilli(received + in.readLong()) : null;
        String province = (flags & PROVINCE) != 0 ? in.readString() : null;
        String channel = CompactIndicatorState.CHANNELS.constant(in.readInt()).name();
        String contactMethod = (flags & CONTACT_METHOD) != 0 ? CONTACT_METHODS.constant(in.readInt()).name() : null;
        List<String> requested = new ArrayList<>();
        for (int i = CompactIndicatorState.count(in); i > 0; i--) {
            requested.add(CompactIndicatorState.REQUESTS.constant(in.readInt()).name());
        }
        long amountLost = in.readLong();
        String notes = (flags & NOTES) != 0 ? in.readString() : null;
        String submittedBy = in.readString();
        String pseudonym;
        if ((flags & PSEUDONYM_SHA256) != 0) {
            byte[] bytes = new byte[SHA256_BYTES];
            in.readFixed(bytes);
            pseudonym = HEX.formatHex(bytes);
        } else {
            pseudonym = in.readString();
        }
        List<String> coIndicators = new ArrayList<>();
        for (int i = CompactIndicatorState.count(in); i > 0; i--) {
            coIndicators.add(in.readString());
        }
        return new ReportEvidence(reportId, occurredAt, Instant.ofEpochMilli(received), province, channel,
                contactMethod, List.copyOf(requested), amountLost, notes, submittedBy, pseudonym,
                List.copyOf(coIndicators));
    }

    /** Ingest's ids (a UUID) as their 16 bytes, any other as text: a form code, then the id. */
    static void writeReportId(BinaryEncoder out, String id) throws IOException {
        UUID uuid = uuid(id);
        if (uuid != null) {
            out.writeInt(ID_UUID);
            out.writeFixed(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits()).array());
        } else {
            out.writeInt(ID_TEXT);
            out.writeString(id);
        }
    }

    static String readReportId(BinaryDecoder in) throws IOException {
        int form = in.readInt();
        return switch (form) {
            case ID_UUID -> {
                byte[] bytes = new byte[16];
                in.readFixed(bytes);
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                yield new UUID(buffer.getLong(), buffer.getLong()).toString();
            }
            case ID_TEXT -> in.readString();
            default -> throw new SerializationException("unknown report id form " + form);
        };
    }

    /** Ingest's ids, in the form they read back as; null for any other id (kept as text). */
    private static UUID uuid(String id) {
        if (id.length() != 36) {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(id);
            return uuid.toString().equals(id) ? uuid : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
