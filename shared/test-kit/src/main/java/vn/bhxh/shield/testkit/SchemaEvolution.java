package vn.bhxh.shield.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;

/** What a producer built from a newer contract writes: this code's schema plus a field it does not know. */
public final class SchemaEvolution {

    /** Generic records holding what generated classes hold: {@code Instant}s for timestamps, Java enums. */
    private static final GenericData MODEL = new GenericData();

    static {
        MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    }

    private SchemaEvolution() {
    }

    /** {@code schema} with an optional string field {@code name} (default null): a BACKWARD-compatible change. */
    public static Schema withOptionalField(Schema schema, String name) {
        return withField(schema, new Schema.Field(name, Schema.createUnion(Schema.create(Schema.Type.NULL),
                Schema.create(Schema.Type.STRING)), null, Schema.Field.NULL_DEFAULT_VALUE));
    }

    /** {@code schema} with a required string field {@code name} and no default: old data cannot be read by it. */
    public static Schema withRequiredField(Schema schema, String name) {
        return withField(schema, new Schema.Field(name, Schema.create(Schema.Type.STRING), null));
    }

    /** {@code record}'s fields, as a record of {@code newer}, with {@code field} set to {@code value}. */
    public static GenericRecord upgrade(SpecificRecord record, Schema newer, String field, Object value) {
        GenericRecord upgraded = new GenericData.Record(newer);
        record.getSchema().getFields().forEach(f -> upgraded.put(f.name(), record.get(f.pos())));
        upgraded.put(field, value);
        return upgraded;
    }

    /** Avro binary of {@code record} written with {@code schema}, without any header. */
    public static byte[] avro(Schema schema, GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(schema, MODEL).write(record, encoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Schema withField(Schema schema, Schema.Field added) {
        List<Schema.Field> fields = new ArrayList<>();
        schema.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(added);
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }
}
