package vn.bhxh.shield.serde;

import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.registry.InMemorySchemaRegistry;
import vn.bhxh.shield.registry.SchemaRegistryClient;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.testkit.SchemaEvolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.bhxh.shield.serde.WireFormatException.Reason.CORRUPT_PAYLOAD;
import static vn.bhxh.shield.serde.WireFormatException.Reason.INCOMPATIBLE_SCHEMA;
import static vn.bhxh.shield.serde.WireFormatException.Reason.UNKNOWN_SCHEMA_ID;

/**
 * The serde against a registry, with no broker: schema ids, evolution, and every reason it fails with. The registry
 * is the in-memory one, which gives the embedded registry's ids and compatibility answers (SchemaRegistryIT runs
 * both through the same tests); the serde over HTTP is covered by ReportRoundTripIT and the services' ITs.
 */
class AvroSerdeRegistryTest {

    private final String scope = "serde-" + UUID.randomUUID();
    private final InMemorySchemaRegistry client = InMemorySchemaRegistry.forScope(scope);
    private final AvroSerde<Report> serde = new AvroSerde<>(client, Report.class);
    private final String topic = "test.serde";

    @AfterEach
    void forgetTheScope() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void writesTheGoldenBodyAfterTheRegisteredSchemaId() {
        byte[] bytes = serde.serialize(topic, GoldenReport.REPORT);

        int id = client.lookup(topic + "-value", Report.getClassSchema()).orElseThrow().id();
        assertThat(bytes).isEqualTo(ConfluentWireFormat.encode(id, GoldenReport.avroBody()));
        assertThat(serde.deserialize(topic, bytes)).isEqualTo(GoldenReport.REPORT);
    }

    @Test
    void anOldReaderReadsDataWrittenWithANewerSchema() throws IOException {
        serde.serialize(topic, GoldenReport.REPORT); // registers Report as version 1
        Schema newer = SchemaEvolution.withOptionalField(Report.getClassSchema(), "reporterLanguage");
        int newerId = client.register(topic + "-value", newer);

        GenericRecord newRecord = new GenericDatumReader<GenericRecord>(Report.getClassSchema(), newer)
                .read(null, DecoderFactory.get().binaryDecoder(GoldenReport.avroBody(), null));
        newRecord.put("reporterLanguage", "vi");
        byte[] bytes = ConfluentWireFormat.encode(newerId, SchemaEvolution.avro(newer, newRecord));

        assertThat(serde.deserialize(topic, bytes)).isEqualTo(GoldenReport.REPORT);
        assertThat(new GenericAvroDeserializer(client).deserialize(topic, bytes).get("reporterLanguage"))
                .hasToString("vi");
    }

    @Test
    void failsWithUnknownSchemaIdForAnIdTheRegistryNeverGave() {
        byte[] bytes = ConfluentWireFormat.encode(987_654, GoldenReport.avroBody());

        assertThatThrownBy(() -> serde.deserialize(topic, bytes))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(UNKNOWN_SCHEMA_ID))
                .hasMessageContaining("topic '" + topic + "', schema id 987654");
    }

    @Test
    void failsWithIncompatibleSchemaWhenTheTopicHoldsAnotherType() {
        int alertId = client.register(topic + "-value", Alert.getClassSchema());
        byte[] bytes = ConfluentWireFormat.encode(alertId, new byte[] {0});

        assertThatThrownBy(() -> serde.deserialize(topic, bytes))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(INCOMPATIBLE_SCHEMA))
                .hasMessageContaining("vn.bhxh.shield.schema.Alert cannot be read as vn.bhxh.shield.schema.Report");
        // And the registry refuses to put a Report on a topic whose subject holds Alerts.
        assertThatThrownBy(() -> serde.serialize(topic, GoldenReport.REPORT))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(INCOMPATIBLE_SCHEMA));
    }

    @Test
    void failsWithCorruptPayloadForATruncatedOrOverlongBody() {
        byte[] bytes = serde.serialize(topic, GoldenReport.REPORT);
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);
        byte[] overlong = Arrays.copyOf(bytes, bytes.length + 1);

        assertThatThrownBy(() -> serde.deserialize(topic, truncated))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(CORRUPT_PAYLOAD))
                .hasMessageContaining("does not decode");
        assertThatThrownBy(() -> serde.deserialize(topic, overlong))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(CORRUPT_PAYLOAD))
                .hasMessageContaining("bytes left");
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredSchemaIsRefused() {
        AvroSerde<Report> lookupOnly = new AvroSerde<>();
        lookupOnly.configure(Map.of(SchemaRegistryClient.URL_CONFIG, InMemorySchemaRegistry.url(scope),
                AvroSerde.AUTO_REGISTER_SCHEMAS_CONFIG, "false",
                AvroSerde.VALUE_TYPE_CONFIG, Report.class.getName()), false);

        assertThatThrownBy(() -> lookupOnly.serialize(topic, GoldenReport.REPORT))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(UNKNOWN_SCHEMA_ID))
                .hasMessageContaining("not registered");

        serde.serialize(topic, GoldenReport.REPORT);
        assertThat(HexFormat.of().formatHex(lookupOnly.serialize(topic, GoldenReport.REPORT)))
                .isEqualTo(HexFormat.of().formatHex(serde.serialize(topic, GoldenReport.REPORT)));
    }

    @Test
    void aKeySerdeUsesTheKeySubject() {
        serde.configure(Map.of(), true);

        serde.serialize(topic, GoldenReport.REPORT);

        assertThat(client.subjects()).contains(topic + "-key").doesNotContain(topic + "-value");
    }
}
