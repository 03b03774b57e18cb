package vn.bhxh.shield.serde;

import org.apache.kafka.common.errors.SerializationException;
import vn.bhxh.shield.registry.SchemaRegistryException;

/**
 * A record could not be written or read in the Confluent wire format. The {@link Reason} is machine readable so a
 * processor can dead-letter the record with it instead of parsing the message.
 *
 * <p>Callers must tell the two kinds of failure apart: a {@linkplain #isTransient() transient} one (the registry
 * unreachable, too slow, or answering 5xx/401/403/429) says nothing about the record, which must be retried at the
 * same offset later and never skipped or dead-lettered; any other one is permanent (no magic byte, a schema id the
 * registry says it does not have, bytes that do not match the schema) and the record may be dead-lettered.
 * {@link #isTransient(Throwable)} finds the answer through wrappers such as Kafka's
 * {@code RecordDeserializationException} or a Streams exception.
 */
public class WireFormatException extends SerializationException {

    /** Why the record could not be (de)serialised. */
    public enum Reason {
        /** The bytes are not framed as magic byte 0 + 4-byte schema id + Avro. */
        NOT_WIRE_FORMAT,
        /** The schema id (or, when not auto-registering, the writer schema) is not in the registry. */
        UNKNOWN_SCHEMA_ID,
        /** The writer schema cannot be read with the reader schema, or the registry refused a schema as incompatible. */
        INCOMPATIBLE_SCHEMA,
        /** The Avro body does not decode (truncated, trailing bytes, bad values) or the record does not encode. */
        CORRUPT_PAYLOAD,
        /**
         * The registry could not be reached in time, answered with a server error, or refused the client (401,
         * 403, 429, a 404 that is not the registry's own "not found"): nothing is known about the record, so it is
         * the only {@linkplain WireFormatException#isTransient() transient} reason.
         */
        REGISTRY_UNAVAILABLE
    }

    private final Reason reason;

    public WireFormatException(Reason reason, String message) {
        this(reason, message, null);
    }

    public WireFormatException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** True when the same bytes may decode later: retry the record at its offset, never skip or dead-letter it. */
    public boolean isTransient() {
        return reason == Reason.REGISTRY_UNAVAILABLE;
    }

    /** True when {@code failure} or one of its causes is a {@linkplain #isTransient() transient} wire-format failure. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WireFormatException wire) {
                return wire.isTransient();
            }
        }
        return false;
    }

    /** Maps the registry's answer to the reason a record is dead-lettered with. */
    static WireFormatException fromRegistry(String context, SchemaRegistryException e) {
        Reason reason;
        if (e.isUnavailable()) {
            reason = Reason.REGISTRY_UNAVAILABLE;
        } else if (e.isNotFound() && e.isRegistryAnswer()) {
            reason = Reason.UNKNOWN_SCHEMA_ID;
        } else if (e.httpStatus() == 409 || e.httpStatus() == 422) {
            reason = Reason.INCOMPATIBLE_SCHEMA;
        } else {
            // 401/403/429, a proxy's 404 page and other answers that say nothing about the record: retried.
            reason = Reason.REGISTRY_UNAVAILABLE;
        }
        return new WireFormatException(reason, context + ": registry answered HTTP " + e.httpStatus()
                + " error_code " + e.errorCode() + ": " + e.getMessage(), e);
    }
}
