package vn.bhxh.shield.serde;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HexFormat;
import java.util.Map;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.registry.SchemaRegistryClient;
import vn.bhxh.shield.schema.Report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.bhxh.shield.serde.WireFormatException.Reason.NOT_WIRE_FORMAT;
import static vn.bhxh.shield.serde.WireFormatException.Reason.REGISTRY_UNAVAILABLE;

/** What the serde decides before or without the registry; the registry paths are in AvroSerdeRegistryTest. */
class AvroSerdeTest {

    private final AvroSerde<Report> serde = new AvroSerde<>(unreachableRegistry(), Report.class);

    @Test
    void passesTombstonesThrough() {
        assertThat(serde.serialize("bhxh.reports.v1", null)).isNull();
        assertThat(serde.deserialize("bhxh.reports.v1", null)).isNull();
    }

    @Test
    void namesTopicAndReasonWhenTheBytesAreNotTheWireFormat() {
        assertThatThrownBy(() -> serde.deserialize("bhxh.reports.v1", "{}".getBytes()))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(NOT_WIRE_FORMAT))
                .hasMessageContaining("topic 'bhxh.reports.v1'");
        assertThatThrownBy(() -> serde.deserialize("bhxh.reports.v1", new byte[] {0, 0, 1}))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(NOT_WIRE_FORMAT));
    }

    @Test
    void reportsAnUnreachableRegistryAsRetryable() {
        byte[] golden = HexFormat.of().parseHex(ConfluentWireFormatTest.GOLDEN_HEX);

        assertThatThrownBy(() -> serde.deserialize("bhxh.reports.v1", golden))
                .isInstanceOfSatisfying(WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(REGISTRY_UNAVAILABLE))
                .hasMessageContaining("topic 'bhxh.reports.v1', schema id 1");
        assertThatThrownBy(() -> serde.serialize("bhxh.reports.v1", GoldenReport.REPORT))
                .isInstanceOfSatisfying(WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(REGISTRY_UNAVAILABLE))
                .hasMessageContaining("subject 'bhxh.reports.v1-value'");
    }

    @Test
    void trustsTheGeneratedPackageItself() {
        assertThat(TrustedAvroClasses.isGenerated(Report.class)).isTrue();
        assertThat(TrustedAvroClasses.isGenerated(ServerSocket.class)).isFalse();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(Report.class)).isTrue();
    }

    @Test
    void byClassNameItNeedsTheRegistryUrlAndTheType() {
        AvroSerde<Report> byName = new AvroSerde<>();

        assertThatThrownBy(() -> byName.configure(Map.of(AvroSerde.VALUE_TYPE_CONFIG, Report.class.getName()), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining(SchemaRegistryClient.URL_CONFIG);
        assertThatThrownBy(() -> byName.configure(Map.of(SchemaRegistryClient.URL_CONFIG, "http://localhost:1",
                AvroSerde.VALUE_TYPE_CONFIG, String.class.getName()), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SpecificRecord");
    }

    /** A registry URL on a port nobody listens on: a real connection refusal, no mock. */
    private static SchemaRegistryClient unreachableRegistry() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return new SchemaRegistryClient("http://localhost:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
