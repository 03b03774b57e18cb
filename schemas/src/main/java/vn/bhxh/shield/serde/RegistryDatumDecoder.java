package vn.bhxh.shield.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import vn.bhxh.shield.registry.SchemaRegistry;
import vn.bhxh.shield.registry.SchemaRegistryException;

import static vn.bhxh.shield.serde.WireFormatException.Reason.CORRUPT_PAYLOAD;
import static vn.bhxh.shield.serde.WireFormatException.Reason.INCOMPATIBLE_SCHEMA;

/**
 * Decodes wire-format bytes with the writer schema fetched from the registry by id, resolved against a reader
 * schema so schema evolution works. Shared by the specific and the generic deserializer; thread-safe.
 */
final class RegistryDatumDecoder<T> {

    private final SchemaRegistry client;
    private final Schema readerSchema;
    private final BiFunction<Schema, Schema, DatumReader<T>> datumReaders;
    private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

    /**
     * @param readerSchema the schema the caller wants, or null to read records as they were written
     * @param datumReaders makes a datum reader from (writer schema, reader schema)
     */
    RegistryDatumDecoder(SchemaRegistry client, Schema readerSchema,
                         BiFunction<Schema, Schema, DatumReader<T>> datumReaders) {
        this.client = client;
        this.readerSchema = readerSchema;
        this.datumReaders = datumReaders;
    }

    T decode(String topic, byte[] data) {
        if (data == null) {
            return null; // a tombstone
        }
        ConfluentWireFormat.Frame frame;
        try {
            frame = ConfluentWireFormat.decode(data);
        } catch (WireFormatException e) {
            throw new WireFormatException(e.reason(), "topic '" + topic + "': " + e.getMessage(), e);
        }
        String context = "topic '" + topic + "', schema id " + frame.schemaId();
        DatumReader<T> reader = readerFor(context, frame.schemaId());
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(frame.avro(), null);
        T value;
        try {
            value = reader.read(null, decoder);
        } catch (Exception e) { // Avro reports bad bytes as EOFException, AvroRuntimeException, index errors...
            throw new WireFormatException(CORRUPT_PAYLOAD, context + ": Avro body does not decode: " + e, e);
        }
        if (!isFullyRead(decoder)) {
            throw new WireFormatException(CORRUPT_PAYLOAD, context + ": bytes left after the record");
        }
        return value;
    }

    private DatumReader<T> readerFor(String context, int schemaId) {
        DatumReader<T> cached = readersByWriterId.get(schemaId);
        if (cached != null) {
            return cached;
        }
        Schema writer;
        try {
            writer = client.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            throw WireFormatException.fromRegistry(context, e);
        }
        Schema reader = readerSchema == null ? writer : readerSchema;
        var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new WireFormatException(INCOMPATIBLE_SCHEMA, context + ": writer schema " + writer.getFullName()
                    + " cannot be read as " + reader.getFullName() + ": "
                    + compatibility.getResult().getIncompatibilities());
        }
        DatumReader<T> datumReader = datumReaders.apply(writer, reader);
        readersByWriterId.put(schemaId, datumReader);
        return datumReader;
    }

    private static boolean isFullyRead(BinaryDecoder decoder) {
        try {
            return decoder.isEnd();
        } catch (IOException e) {
            throw new WireFormatException(CORRUPT_PAYLOAD, "cannot tell whether the Avro body ended", e);
        }
    }
}
