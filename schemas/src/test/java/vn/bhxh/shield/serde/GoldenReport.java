package vn.bhxh.shield.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.ContactMethod;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.schema.ScamRequest;

/** A Report with every field set to a fixed value, used to pin the bytes on the wire. */
final class GoldenReport {

    static final Report REPORT = Report.newBuilder()
            .setReportId("R1")
            .setChannel(Channel.HOTLINE)
            .setReporterPseudonym("ab")
            .setProvince("ha-noi")
            .setContactMethod(ContactMethod.ZALO)
            .setPhoneNumbers(List.of("0912345678"))
            .setUrls(List.of("bhxh-vn.top"))
            .setAccounts(List.of("zalo:1"))
            .setRequested(List.of(ScamRequest.OTP))
            .setAmountLostVnd(5_000_000L)
            .setNotes("Giả danh BHXH")
            .setOccurredAt(Instant.ofEpochMilli(1_751_328_000_000L))
            .setReceivedAt(Instant.ofEpochMilli(1_751_328_060_000L))
            .setSubmittedBy("op-7")
            .setSourceReference("call-9")
            .setCorrelationId("c-1")
            .build();

    private GoldenReport() {
    }

    /** The Avro binary body alone, as Avro itself writes it (no framing). */
    static byte[] avroBody() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new SpecificDatumWriter<>(Report.class).write(REPORT, encoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
