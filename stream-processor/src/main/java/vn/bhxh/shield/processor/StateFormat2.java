package vn.bhxh.shield.processor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collection;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import vn.bhxh.shield.lookup.IndicatorStatus.AuditStep;
import vn.bhxh.shield.schema.ScamRequest;

/**
 * The writer of format 2 of {@link IndicatorStateSerde}, which builds before format 3 read. For the first phase of
 * a rolling upgrade from such a build ({@code PROCESSOR_STATE_FORMAT=2}): while old and new instances run side by
 * side, a task moved back to an old instance must find states it can read (it would fail every record of their
 * indicators, and dead-letter them). The second phase, once no old instance runs, writes format 3.
 */
final class StateFormat2 {

    private StateFormat2() {
    }

    static byte[] serialize(String topic, IndicatorState state) {
        if (state == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(2);
        BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
        try {
            out.writeArrayStart();
            out.setItemCount(state.sightings.size());
            for (Sighting sighting : state.sightings) {
                out.startItem();
                out.writeLong(sighting.first());
                out.writeLong(sighting.last());
                out.writeString(sighting.reporter());
                writeNullableString(out, sighting.account());
                out.writeLong(sighting.entered());
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
            writeStrings(out, state.sampleNotes);
            writeNullableLong(out, state.firstSeen);
            writeNullableLong(out, state.lastSeen);
            out.writeBoolean(state.listing != null);
            if (state.listing != null) {
                out.writeString(state.listing.status().name());
                out.writeString(state.listing.reasonCode().name());
                out.writeLong(state.listing.listedAt());
                out.writeLong(state.listing.expiresAt());
            }
            out.writeBoolean(state.proposal != null);
            if (state.proposal != null) {
                out.writeLong(state.proposal.proposedAt());
                out.writeLong(state.proposal.windowEnd());
                out.writeBoolean(state.proposal.escalated());
            }
            writeNullableLong(out, state.warnedUpTo);
            writeNullableLong(out, state.spoofAlertedAt);
            writeNullableLong(out, state.delistedAt);
            writeNullableLong(out, state.rejectedAt);
            writeStrings(out, state.accountsAtRejection);
            out.writeBoolean(state.official);
            writeNullableLong(out, state.unallowlistedAt);
            writeStrings(out, state.provincesEver);
            writeStrings(out, state.accountsEver);
            writeNullableLong(out, state.indexedAt);
            out.writeBoolean(state.entryInOldForm);
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

    private static void writeStrings(BinaryEncoder out, Collection<String> values) throws IOException {
        out.writeArrayStart();
        out.setItemCount(values.size());
        for (String value : values) {
            out.startItem();
            out.writeString(value);
        }
        out.writeArrayEnd();
    }

    private static void writeNullableLong(BinaryEncoder out, Long value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value);
        }
    }

    private static void writeNullableString(BinaryEncoder out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeString(value);
        }
    }
}
