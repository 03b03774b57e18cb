package vn.bhxh.shield.serde;

import java.io.IOException;
import java.util.HexFormat;

import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.schema.Report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.bhxh.shield.serde.WireFormatException.Reason.NOT_WIRE_FORMAT;

/** Pins the exact bytes: if this changes, Confluent's and Apicurio's readers no longer understand our topics. */
class ConfluentWireFormatTest {

    /** {@link GoldenReport#REPORT} framed with schema id 1, as Confluent's serializer writes it. */
    static final String GOLDEN_HEX = "00" + "00000001"
            + "04523100046162020c68612d6e6f690204021430393132333435363738000216626878682d766e2e746f7000020c7a616c6f"
            + "3a310002000080ade204021e4769e1baa32064616e6820424858480280a0c4b4f865c0c9cbb4f865086f702d37020c63616c"
            + "6c2d390206632d31";

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void encodesTheGoldenReportToTheExactBytes() {
        byte[] framed = ConfluentWireFormat.encode(1, GoldenReport.avroBody());

        assertThat(HEX.formatHex(framed)).isEqualTo(GOLDEN_HEX);
        assertThat(framed).startsWith(0x00, 0x00, 0x00, 0x00, 0x01);
        // The body starts with the reportId: length 2 as a zig-zag varint (0x04), then "R1".
        assertThat(framed[5]).isEqualTo((byte) 0x04);
        assertThat(new String(framed, 6, 2)).isEqualTo("R1");
    }

    @Test
    void decodesTheGoldenBytesBackToTheReport() throws IOException {
        ConfluentWireFormat.Frame frame = ConfluentWireFormat.decode(HEX.parseHex(GOLDEN_HEX));

        assertThat(frame.schemaId()).isEqualTo(1);
        Report report = new SpecificDatumReader<>(Report.class)
                .read(null, DecoderFactory.get().binaryDecoder(frame.avro(), null));
        assertThat(report).isEqualTo(GoldenReport.REPORT);
        assertThat(report.getNotes()).isEqualTo("Giả danh BHXH");
    }

    @Test
    void schemaIdIsBigEndianOverFourBytes() {
        byte[] framed = ConfluentWireFormat.encode(0x01020304, new byte[] {0x7f});

        assertThat(HEX.formatHex(framed)).isEqualTo("00010203047f");
        assertThat(ConfluentWireFormat.decode(framed).schemaId()).isEqualTo(0x01020304);
    }

    @Test
    void rejectsAnEmptyPayload() {
        assertThatThrownBy(() -> ConfluentWireFormat.decode(new byte[0]))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(NOT_WIRE_FORMAT))
                .hasMessageContaining("empty");
    }

    @Test
    void rejectsAWrongMagicByte() {
        byte[] json = "{\"reportId\":\"R1\"}".getBytes();

        assertThatThrownBy(() -> ConfluentWireFormat.decode(json))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(NOT_WIRE_FORMAT))
                .hasMessageContaining("magic byte 0x7b");
    }

    @Test
    void rejectsAPayloadShorterThanTheHeader() {
        assertThatThrownBy(() -> ConfluentWireFormat.decode(HEX.parseHex("000000")))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(NOT_WIRE_FORMAT))
                .hasMessageContaining("3 bytes is shorter than the 5-byte header");
    }
}
