package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.lookup.IndicatorEvidence;
import vn.bhxh.shield.lookup.IndicatorEvidence.ReportEvidence;
import vn.bhxh.shield.sink.EvidenceExport.Format;

/** The police evidence file: CSV and JSON of the reports, its SHA-256, its name. */
class EvidenceExportTest {

    /** A CSV reader of its own, RFC 4180 as Excel writes it: proves the quoting, not just the text. */
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    static final IndicatorEvidence PHONE = new IndicatorEvidence("tel:+84904038115", "0904 038 115", List.of(
            new ReportEvidence("R-2026-0001", Instant.parse("2026-12-02T01:30:00Z"),
                    Instant.parse("2026-12-02T02:00:00Z"), "thanh-hoa", "HOTLINE", "CALL", List.of("OTP", "MONEY_TRANSFER"),
                    5_000_000, "=HYPERLINK(\"http://lua.vn\") gọi tự xưng \"cán bộ BHXH\"", "operator-7",
                    "ps-1a2b3c", List.of("tel:+84912345678")),
            new ReportEvidence("R-2026-0002", null, Instant.parse("2026-12-03T10:00:00Z"), null, "FANPAGE", null,
                    List.of(), 0, null, "page-1234", "ps-9f8e7d", List.of())), false);

    @Test
    void theCsvHasOneRowPerReportInVietnamTimeWithABomAndNoFormula() throws Exception {
        byte[] csv = EvidenceExport.csv(List.of(PHONE));

        assertThat(Arrays.copyOf(csv, 3)).as("UTF-8 byte order mark")
                .containsExactly((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        String text = new String(csv, StandardCharsets.UTF_8).substring(1);
        assertThat(text).endsWith("\r\n");
        List<List<String>> rows = CSV.readerForListOf(String.class).with(CsvSchema.emptySchema())
                .<List<String>>readValues(text).readAll();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).isEqualTo(EvidenceExport.CSV_HEADER);
        assertThat(rows.get(1)).containsExactly("0904 038 115", "R-2026-0001", "2026-12-02T08:30:00+07:00",
                "2026-12-02T09:00:00+07:00", "Thanh Hóa", "Tổng đài", "Gọi điện", "mã OTP, chuyển tiền", "5000000",
                "'=HYPERLINK(\"http://lua.vn\") gọi tự xưng \"cán bộ BHXH\"", "operator-7", "ps-1a2b3c",
                "tel:+84912345678");
        assertThat(rows.get(2)).containsExactly("0904 038 115", "R-2026-0002", "", "2026-12-03T17:00:00+07:00",
                "", "Fanpage", "", "", "0", "", "page-1234", "ps-9f8e7d", "");
    }

    @Test
    void everyCellStartingAFormulaIsMadeText() {
        IndicatorEvidence hostile = new IndicatorEvidence("tel:+84904038115", "0904 038 115", List.of(
                new ReportEvidence("+1", null, null, null, "@SUM(A1)", "-2+3", List.of(), 0, "+cmd", "=1+1", "-x",
                        List.of())), false);
        String text = new String(EvidenceExport.csv(List.of(hostile)), StandardCharsets.UTF_8);
        String row = text.lines().skip(1).findFirst().orElseThrow();
        assertThat(row).contains("\"'+1\"", "\"'@SUM(A1)\"", "\"'-2+3\"", "\"'+cmd\"", "\"'=1+1\"", "\"'-x\"");
    }

    @Test
    void theJsonIsTheProcessorsEvidenceUnderWhatWasExported() throws Exception {
        JsonNode json = SinkJson.MAPPER.readTree(EvidenceExport.json("tel:+84904038115", true, List.of(PHONE,
                EvidenceExport.nothingKept("domain:bhxh-vn.com"))));

        assertThat(json.get("subject").asText()).isEqualTo("tel:+84904038115");
        assertThat(json.get("campaign").asBoolean()).isTrue();
        JsonNode first = json.get("indicators").get(0);
        assertThat(first.get("reports").get(0).get("occurredAt").asText()).isEqualTo("2026-12-02T01:30:00Z");
        assertThat(first.get("reports").get(0).get("amountLostVnd").asLong()).isEqualTo(5_000_000);
        assertThat(first.get("reports").get(1).get("notes").isNull()).isTrue();
        JsonNode gone = json.get("indicators").get(1);
        assertThat(gone.get("display").asText()).isEqualTo("bhxh-vn.com");
        assertThat(gone.get("reports")).isEmpty();
        assertThat(gone.get("truncated").asBoolean()).isTrue();
        assertThat(EvidenceExport.json("tel:+84904038115", false, List.of(PHONE)))
                .as("the same evidence, the same bytes").isEqualTo(EvidenceExport.json("tel:+84904038115", false,
                        List.of(PHONE)));
    }

    @Test
    void theDigestIsTheSha256OfTheExactBytesAsRfc9530AndAsSha256sumPrintsIt() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        // FIPS 180-2's test vector.
        assertThat(EvidenceExport.sha256Hex(abc))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(EvidenceExport.reprDigest(abc)).isEqualTo("sha-256=:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=:");
    }

    @Test
    void theFileNameCarriesTheIndicatorAndTheTimeInVietnam() {
        Instant evening = Instant.parse("2026-12-05T12:30:05Z");
        assertThat(EvidenceExport.fileName("tel:+84904038115", false, Format.CSV, evening))
                .isEqualTo("bang-chung-tel-84904038115-20261205-193005.csv");
        assertThat(EvidenceExport.fileName("url:https://bhxh-vn.com/x?y=1", true, Format.JSON, evening))
                .isEqualTo("bang-chung-chien-dich-url-https-bhxh-vn.com-x-y-1-20261205-193005.json");
    }

    @Test
    void theReportsAreCountedForTheAuditLog() {
        assertThat(EvidenceExport.reports(List.of(PHONE, EvidenceExport.nothingKept("domain:bhxh-vn.com"))))
                .isEqualTo(2);
    }
}
