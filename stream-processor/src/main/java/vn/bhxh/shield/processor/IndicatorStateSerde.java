package vn.bhxh.shield.processor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import vn.bhxh.shield.lookup.IndicatorStatus.AuditStep;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.ScamRequest;

/**
 * {@link IndicatorState} in a compact binary form: read and written for every record the processor handles, it
 * was the largest cost of the indicator task as JSON (reflection, field names, dates as text). A format byte,
 * then the fields in a fixed order with Avro's primitive encoding (zig-zag varints, length-prefixed UTF-8);
 * enums by name, so new symbols in the contract never shift old values.
 * <p>
 * Values written by the earlier JSON form (they start with '{') are still read, so a store and its changelog
 * from before migrate record by record as indicators are next written: no reset is needed. A new field means a
 * new format byte, read alongside the old one.
 */
final class IndicatorStateSerde implements Serde<IndicatorState>, Serializer<IndicatorState>,
        Deserializer<IndicatorState> {

    private static final int FORMAT_1 = 1;
    private static final int LEGACY_JSON = '{';

    private final JsonSerde<IndicatorState> legacy = new JsonSerde<>(IndicatorState.class);

    @Override
    public byte[] serialize(String topic, IndicatorState state) {
        if (state == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(FORMAT_1);
        BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
        try {
            out.writeArrayStart();
            out.setItemCount(state.sightings.size());
            for (Sighting sighting : state.sightings) {
                out.startItem();
                out.writeLong(sighting.first());
                out.writeLong(sighting.last());
                out.writeString(sighting.reporter());
                out.writeString(sighting.channel().name());
                writeNullableString(out, sighting.province());
                out.writeArrayStart();
                out.setItemCount(sighting.requested().size());
                for (ScamRequest request : sighting.requested()) {
                    out.startItem();
                    out.writeString(request.name());
                }
                out.writeArrayEnd();
                out.writeLong(sighting.amountLostVnd());
                out.writeInt(sighting.reports());
            }
            out.writeArrayEnd();
            out.writeArrayStart();
            out.setItemCount(state.sampleNotes.size());
            for (String note : state.sampleNotes) {
                out.startItem();
                out.writeString(note);
            }
            out.writeArrayEnd();
            writeNullableLong(out, state.firstSeen);
            writeNullableLong(out, state.lastSeen);
            out.writeBoolean(state.listing != null);
            if (state.listing != null) {
                out.writeString(state.listing.status().name());
                writeNullableString(out, state.listing.reason());
                out.writeLong(state.listing.listedAt());
                out.writeLong(state.listing.expiresAt());
            }
            writeNullableLong(out, state.warnedUpTo);
            writeNullableLong(out, state.spoofAlertedAt);
            writeNullableLong(out, state.delistedAt);
            out.writeBoolean(state.official);
            out.writeArrayStart();
            out.setItemCount(state.audit.size());
            for (AuditStep step : state.audit) {
                out.startItem();
                writeNullableLong(out, step.at() == null ? null : step.at().toEpochMilli());
                writeNullableString(out, step.action());
                writeNullableString(out, step.actor());
                writeNullableString(out, step.reason());
            }
            out.writeArrayEnd();
            out.flush();
        } catch (IOException e) { // a ByteArrayOutputStream does not fail; an encoder may still say it does
            throw new SerializationException("cannot write the state for " + topic, e);
        }
        return bytes.toByteArray();
    }

    @Override
    public IndicatorState deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length > 0 && data[0] == LEGACY_JSON) {
            return legacy.deserialize(topic, data);
        }
        if (data.length == 0 || data[0] != FORMAT_1) {
            throw new SerializationException("unknown state format " + (data.length == 0 ? "(empty)" : data[0])
                    + " in " + topic);
        }
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(data, 1, data.length - 1, null);
        try {
            IndicatorState state = new IndicatorState();
            for (long n = in.readArrayStart(); n > 0; n = in.arrayNext()) {
                for (long i = 0; i < n; i++) {
                    long first = in.readLong();
                    long last = in.readLong();
                    String reporter = in.readString();
                    Channel channel = Channel.valueOf(in.readString());
                    String province = readNullableString(in);
                    List<ScamRequest> requested = new ArrayList<>();
                    for (long m = in.readArrayStart(); m > 0; m = in.arrayNext()) {
                        for (long j = 0; j < m; j++) {
                            requested.add(ScamRequest.valueOf(in.readString()));
                        }
                    }
                    state.sightings.add(new Sighting(first, last, reporter, channel, province,
                            List.copyOf(requested), in.readLong(), in.readInt()));
                }
            }
            for (long n = in.readArrayStart(); n > 0; n = in.arrayNext()) {
                for (long i = 0; i < n; i++) {
                    state.sampleNotes.add(in.readString());
                }
            }
            state.firstSeen = readNullableLong(in);
            state.lastSeen = readNullableLong(in);
            if (in.readBoolean()) {
                state.listing = new IndicatorState.Listing(BlocklistStatus.valueOf(in.readString()),
                        readNullableString(in), in.readLong(), in.readLong());
            }
            state.warnedUpTo = readNullableLong(in);
            state.spoofAlertedAt = readNullableLong(in);
            state.delistedAt = readNullableLong(in);
            state.official = in.readBoolean();
            for (long n = in.readArrayStart(); n > 0; n = in.arrayNext()) {
                for (long i = 0; i < n; i++) {
                    Long at = readNullableLong(in);
                    state.audit.add(new AuditStep(at == null ? null : Instant.ofEpochMilli(at),
                            readNullableString(in), readNullableString(in), readNullableString(in)));
                }
            }
            if (!in.isEnd()) {
                throw new SerializationException("bytes left after the state in " + topic);
            }
            return state;
        } catch (SerializationException e) {
            throw e;
        } catch (IOException | RuntimeException e) { // truncated bytes, an enum symbol this build does not know
            throw new SerializationException("cannot read the state from " + topic + ": " + e, e);
        }
    }

    private static void writeNullableLong(BinaryEncoder out, Long value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value);
        }
    }

    private static Long readNullableLong(BinaryDecoder in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    private static void writeNullableString(BinaryEncoder out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeString(value);
        }
    }

    private static String readNullableString(BinaryDecoder in) throws IOException {
        return in.readBoolean() ? in.readString() : null;
    }

    @Override
    public Serializer<IndicatorState> serializer() {
        return this;
    }

    @Override
    public Deserializer<IndicatorState> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Built with everything it needs.
    }

    @Override
    public void close() {
        // Stateless.
    }
}
