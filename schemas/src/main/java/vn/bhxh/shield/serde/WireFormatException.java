package vn.bhxh.shield.serde;

import org.apache.kafka.common.errors.SerializationException;
import vn.bhxh.shield.registry.SchemaRegistryException;

/**
 * A record could not be written or read in the Confluent wire format. The {@link Reason} is machine readable so a
 * processor can dead-letter the record with it instead of parsing the message.
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
        /** The registry could not be reached or answered with a server error; retrying may help. */
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

    /** Maps the registry's answer to the reason a record is dead-lettered with. */
    static WireFormatException fromRegistry(String context, SchemaRegistryException e) {
        Reason reason;
        if (e.isUnavailable()) {
            reason = Reason.REGISTRY_UNAVAILABLE;
        } else if (e.isNotFound()) {
            reason = Reason.UNKNOWN_SCHEMA_ID;
        } else if (e.httpStatus() == 409 || e.httpStatus() == 422) {
            reason = Reason.INCOMPATIBLE_SCHEMA;
        } else {
            reason = Reason.REGISTRY_UNAVAILABLE; // 401/403 and other answers the client cannot fix itself
        }
        return new WireFormatException(reason, context + ": registry answered HTTP " + e.httpStatus()
                + " error_code " + e.errorCode() + ": " + e.getMessage(), e);
    }
}
