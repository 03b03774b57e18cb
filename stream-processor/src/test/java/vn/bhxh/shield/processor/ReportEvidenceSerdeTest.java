package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.lookup.IndicatorEvidence.ReportEvidence;

class ReportEvidenceSerdeTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-20T02:05:00Z");
    private static final String PSEUDONYM = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private final ReportEvidenceSerde serde = new ReportEvidenceSerde();

    @Test
    void aReportAsIngestWroteItReadsBackAsItWas() {
        ReportEvidence full = hotlineReport(UUID.randomUUID().toString());
        assertThat(roundTrip(full)).isEqualTo(full);

        ReportEvidence sparse = new ReportEvidence("r-1", null, RECEIVED, null, "FANPAGE", null, List.of(), 0, null,
                "page-123", "citizen-1", List.of());
        assertThat(roundTrip(sparse)).isEqualTo(sparse);

        // Forms kept as text: an id that is no UUID in its canonical form, hex that is not 32 bytes.
        ReportEvidence upper = new ReportEvidence(full.reportId().toUpperCase(java.util.Locale.ROOT), null, RECEIVED,
                null, "POLICE", "OTHER", List.of("OTHER"), 1, "", "unit-a05", "abcd", List.of("tel:+84904038115"));
        assertThat(roundTrip(upper)).isEqualTo(upper);
    }

    @Test
    void anUnknownFormatOrTrailingBytesAreRefusedNotMisread() {
        byte[] bytes = serde.serialize("t", hotlineReport(UUID.randomUUID().toString()));
        byte[] newer = bytes.clone();
        newer[0] = 9;
        assertThatThrownBy(() -> serde.deserialize("t", newer)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("format 9");
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> serde.deserialize("t", longer)).isInstanceOf(SerializationException.class);
    }

    @Test
    void theHeadOfAnIndicatorReadsBackAsItWas() {
        EvidenceStore.HeadSerde heads = new EvidenceStore.HeadSerde();
        String uuid = UUID.randomUUID().toString();
        for (EvidenceStore.Head head : List.of(new EvidenceStore.Head(1, EvidenceStore.suffix(5, "r-1"), null, false),
                new EvidenceStore.Head(500, EvidenceStore.suffix(RECEIVED.toEpochMilli(), uuid),
                        EvidenceStore.suffix(RECEIVED.toEpochMilli() + 60_000, "b"), true),
                new EvidenceStore.Head(2, EvidenceStore.suffix(RECEIVED.toEpochMilli(), "a"),
                        EvidenceStore.suffix(RECEIVED.toEpochMilli(), "b"), false))) {
            assertThat(heads.deserialize("t", heads.serialize("t", head))).isEqualTo(head);
        }
        assertThat(EvidenceStore.suffix(RECEIVED.toEpochMilli(), "r")).isEqualTo("1795140300000r");
        assertThat(EvidenceStore.suffix(-1, "r")).isEqualTo("0000000000000r");
    }

    /**
     * The cost of one kept report (docs/state-format.md): the record's key and value as the store and its
     * changelog hold them, against the same report as JSON.
     */
    @Test
    void aTypicalReportCostsAboutTwoHundredBytesKeyIncluded() {
        ReportEvidence report = hotlineReport(UUID.randomUUID().toString());
        int value = serde.serialize("t", report).length;
        int key = (EvidenceStore.prefix("tel:+84904038115")
                + EvidenceStore.suffix(RECEIVED.toEpochMilli(), report.reportId())).getBytes(StandardCharsets.UTF_8)
                .length;
        int json = JsonSerde.MAPPER.valueToTree(report).toString().getBytes(StandardCharsets.UTF_8).length;
        // What the stream thread spends on the bytes of one kept report (writing it; reading it back is per alert
        // or lookup): a rough figure of this JVM after warming up, in the thread's CPU time (a busy machine does not
        // inflate it as it does wall time), printed for docs/state-format.md.
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        int rounds = 500_000;
        long started = 0;
        for (int i = 0; i < 2 * rounds; i++) {
            if (i == rounds) {
                started = cpu.getCurrentThreadCpuTime();
            }
            serde.serialize("t", report);
        }
        double encodeNanos = (cpu.getCurrentThreadCpuTime() - started) / (double) rounds;
        System.out.printf("evidence record: key %d B + value %d B = %d B (the same report as JSON: %d B);"
                + " encoded in %.0f ns of CPU%n", key, value, key + value, json, encodeNanos);
        assertThat(key + value).isLessThan(256);
        assertThat(value).isLessThan(json / 2);
    }

    private static ReportEvidence hotlineReport(String id) {
        return new ReportEvidence(id, RECEIVED.minusSeconds(1800), RECEIVED, "thanh-hoa", "HOTLINE", "CALL",
                List.of("OTP", "MONEY_TRANSFER"), 2_000_000, "Tự xưng cán bộ BHXH, đòi mã OTP", "operator-7",
                PSEUDONYM, List.of("domain:bhxh-ho-tro.com"));
    }

    private ReportEvidence roundTrip(ReportEvidence report) {
        return serde.deserialize("t", serde.serialize("t", report));
    }
}
