package vn.bhxh.shield.serde;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static vn.bhxh.shield.serde.WireFormatException.Reason.NOT_WIRE_FORMAT;

/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the Avro binary body.
 * Keeping to it byte for byte lets Confluent's and Apicurio's tools and serdes read our topics and vice versa.
 */
public final class ConfluentWireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 1 + Integer.BYTES;

    /** A decoded frame: the writer's schema id and the Avro body. */
    public record Frame(int schemaId, byte[] avro) {
    }

    private ConfluentWireFormat() {
    }

    /** Writes the magic byte and the schema id, big-endian, as {@link #encode} puts them before the record. */
    public static void writeHeader(int schemaId, ByteArrayOutputStream out) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    public static byte[] encode(int schemaId, byte[] avro) {
        return ByteBuffer.allocate(HEADER_SIZE + avro.length)
                .put(MAGIC_BYTE)
                .putInt(schemaId)
                .put(avro)
                .array();
    }

    /** @throws WireFormatException with {@link WireFormatException.Reason#NOT_WIRE_FORMAT} if the header is wrong */
    public static Frame decode(byte[] data) {
        if (data.length == 0) {
            throw new WireFormatException(NOT_WIRE_FORMAT, "empty payload, expected magic byte 0 + schema id + Avro");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new WireFormatException(NOT_WIRE_FORMAT,
                    String.format("unknown magic byte 0x%02x, expected 0x00", data[0]));
        }
        if (data.length < HEADER_SIZE) {
            throw new WireFormatException(NOT_WIRE_FORMAT,
                    "payload of " + data.length + " bytes is shorter than the " + HEADER_SIZE + "-byte header");
        }
        int schemaId = ByteBuffer.wrap(data, 1, Integer.BYTES).getInt();
        return new Frame(schemaId, Arrays.copyOfRange(data, HEADER_SIZE, data.length));
    }
}
