package vn.bhxh.shield.serde;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import vn.bhxh.shield.registry.SchemaRegistry;
import vn.bhxh.shield.registry.SchemaRegistryClient;
import vn.bhxh.shield.registry.SchemaRegistryException;

import static vn.bhxh.shield.serde.WireFormatException.Reason.CORRUPT_PAYLOAD;
import static vn.bhxh.shield.serde.WireFormatException.Reason.UNKNOWN_SCHEMA_ID;

/**
 * Serde for our generated Avro classes in the Confluent wire format, with subjects named by Confluent's
 * TopicNameStrategy ({@code <topic>-value}, {@code <topic>-key}).
 *
 * <p>Hand-written because Confluent's {@code KafkaAvroSerializer} is not on Maven Central; it keeps to the same
 * bytes, subject names and config keys, so either side can be swapped for Confluent's.
 *
 * <p>It is its own {@link Serializer} and {@link Deserializer}, so it can be named as {@code value.serializer},
 * {@code value.deserializer} or a Streams default serde in plain configs. By class name it reads
 * {@value SchemaRegistryClient#URL_CONFIG}, {@value #AUTO_REGISTER_SCHEMAS_CONFIG} (default true: register the
 * writer schema; false: it must already be registered) and {@value #VALUE_TYPE_CONFIG} (or {@value #KEY_TYPE_CONFIG}
 * for a key serde). Thread-safe once configured. Every failure is a {@link WireFormatException} with its reason.
 */
public class AvroSerde<T extends SpecificRecord> implements SelfSerde<T> {

    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    public static final String VALUE_TYPE_CONFIG = "specific.avro.value.type";
    public static final String KEY_TYPE_CONFIG = "specific.avro.key.type";

    static {
        TrustedAvroClasses.install();
    }

    private SchemaRegistry client;
    private Class<T> type;
    private boolean isKey;
    private boolean autoRegister = true;
    private Schema schema;
    private SpecificDatumWriter<T> writer;
    private RegistryDatumDecoder<T> decoder;
    private final Map<String, Integer> schemaIdsByTopic = new ConcurrentHashMap<>();
    /**
     * A buffered encoder per thread, reused: the direct encoder wrote a record a byte at a time into the
     * (synchronized) ByteArrayOutputStream, a visible share of ingest's and the processor's CPU in the full
     * benchmark's profiles; the buffered one hands the bytes over in blocks.
     */
    private final ThreadLocal<BinaryEncoder> encoders = new ThreadLocal<>();

    /** For configuration by class name; {@link #configure} must be called before use. */
    public AvroSerde() {
    }

    /** A value serde; {@link #configure} may still change {@code isKey} and auto-registration. */
    public AvroSerde(SchemaRegistry client, Class<T> type) {
        this.client = client;
        this.type = type;
        init();
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        Object autoRegister = configs.get(AUTO_REGISTER_SCHEMAS_CONFIG);
        if (autoRegister != null) {
            this.autoRegister = Boolean.parseBoolean(autoRegister.toString());
        }
        if (client == null) {
            client = SchemaRegistryClient.fromConfigs(configs);
        }
        if (type == null) {
            type = typeFromConfig(configs, isKey ? KEY_TYPE_CONFIG : VALUE_TYPE_CONFIG);
        }
        init();
    }

    private void init() {
        schema = SpecificData.get().getSchema(type);
        writer = new SpecificDatumWriter<>(schema);
        decoder = new RegistryDatumDecoder<>(client, schema, SpecificDatumReader::new);
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> typeFromConfig(Map<String, ?> configs, String key) {
        Object type = configs.get(key);
        if (type instanceof Class<?> c) {
            return (Class<T>) c.asSubclass(SpecificRecord.class);
        }
        if (type == null) {
            throw new ConfigException("Missing required configuration \"" + key + "\"");
        }
        try {
            return (Class<T>) Class.forName(type.toString(), true, Thread.currentThread().getContextClassLoader())
                    .asSubclass(SpecificRecord.class);
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new ConfigException(key, type, "not a generated Avro SpecificRecord class: " + e);
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null; // a tombstone
        }
        int schemaId = schemaId(topic);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        ConfluentWireFormat.writeHeader(schemaId, out); // the header first, so the record is copied only once
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, encoders.get());
        encoders.set(encoder);
        try {
            writer.write(data, encoder);
            encoder.flush();
        } catch (Exception e) { // a required field left null, a value outside its schema
            throw new WireFormatException(CORRUPT_PAYLOAD, "topic '" + topic + "', schema id " + schemaId
                    + ": " + type.getSimpleName() + " does not encode: " + e, e);
        }
        return out.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return decoder.decode(topic, data);
    }

    /** The writer schema's id for the topic's subject, asked of the registry once per topic. */
    private int schemaId(String topic) {
        Integer cached = schemaIdsByTopic.get(topic);
        if (cached != null) {
            return cached;
        }
        String subject = topic + (isKey ? "-key" : "-value");
        String context = "topic '" + topic + "', subject '" + subject + "'";
        int id;
        try {
            id = autoRegister
                    ? client.register(subject, schema)
                    : client.lookup(subject, schema).orElseThrow(() -> new WireFormatException(UNKNOWN_SCHEMA_ID,
                            context + ": schema " + schema.getFullName() + " is not registered and "
                                    + AUTO_REGISTER_SCHEMAS_CONFIG + " is false")).id();
        } catch (SchemaRegistryException e) {
            throw WireFormatException.fromRegistry(context, e);
        }
        schemaIdsByTopic.put(topic, id);
        return id;
    }
}
