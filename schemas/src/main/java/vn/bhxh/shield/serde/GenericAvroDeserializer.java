package vn.bhxh.shield.serde;

import java.util.Map;

import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import vn.bhxh.shield.registry.SchemaRegistry;
import vn.bhxh.shield.registry.SchemaRegistryClient;

/**
 * Reads any record in the Confluent wire format as a {@link GenericRecord} with the schema it was written with, so
 * a client without our generated classes (a tool, another team) can read the topics with only the registry URL.
 * By class name it needs {@value SchemaRegistryClient#URL_CONFIG}.
 */
public class GenericAvroDeserializer implements Deserializer<GenericRecord> {

    private RegistryDatumDecoder<GenericRecord> decoder;

    /** For configuration by class name; {@link #configure} must be called before use. */
    public GenericAvroDeserializer() {
    }

    public GenericAvroDeserializer(SchemaRegistry client) {
        this.decoder = newDecoder(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (decoder == null) {
            decoder = newDecoder(SchemaRegistryClient.fromConfigs(configs));
        }
    }

    private static RegistryDatumDecoder<GenericRecord> newDecoder(SchemaRegistry client) {
        return new RegistryDatumDecoder<>(client, null, GenericDatumReader::new);
    }

    @Override
    public GenericRecord deserialize(String topic, byte[] data) {
        return decoder.decode(topic, data);
    }
}
