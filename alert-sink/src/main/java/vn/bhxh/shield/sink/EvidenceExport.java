package vn.bhxh.shield.sink;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import vn.bhxh.shield.lookup.IndicatorEvidence;
import vn.bhxh.shield.lookup.IndicatorEvidence.ReportEvidence;

/**
 * The evidence file the national board hands to the police: the reports behind an indicator, or behind each
 * indicator of a campaign, as CSV or JSON, and the SHA-256 of its exact bytes. Pure functions over
 * {@link IndicatorEvidence}; nothing in the file depends on when it was made, so exporting the same evidence again
 * gives the same bytes and the same SHA-256 (the time is in the file's name and the audit log).
 */
final class EvidenceExport {

    enum Format {
        CSV("csv", "text/csv; charset=utf-8"),
        JSON("json", "application/json; charset=utf-8");

        final String extension;
        final String contentType;

        Format(String extension, String contentType) {
            this.extension = extension;
            this.contentType = contentType;
        }
    }

    /** Vietnam time with its offset: what an officer reads, and unambiguous in a case file. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(IndicatorCards.VIETNAM);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(IndicatorCards.VIETNAM);
    static final List<String> CSV_HEADER = List.of("Chỉ báo", "Mã báo cáo", "Thời điểm bị liên hệ",
            "Thời điểm tiếp nhận", "Tỉnh", "Kênh tiếp nhận", "Cách đối tượng liên hệ", "Đối tượng yêu cầu",
            "Tiền bị mất (đồng)", "Ghi chú (đã che thông tin cá nhân)", "Tài khoản gửi báo cáo",
            "Bí danh người báo cáo", "Chỉ báo khác trong báo cáo");

    // The CSV is read by people (the JSON keeps the codes): the same words as the boards use.
    private static final Map<String, String> CHANNELS = Map.of("HOTLINE", "Tổng đài", "FANPAGE", "Fanpage",
            "POLICE", "Công an");
    private static final Map<String, String> CONTACT_METHODS = Map.of("CALL", "Gọi điện", "SMS", "Tin nhắn SMS",
            "ZALO", "Zalo", "FACEBOOK", "Facebook", "TIKTOK", "TikTok", "WEBSITE", "Trang web", "OTHER", "Khác");
    private static final Map<String, String> REQUESTS = Map.of("OTP", "mã OTP", "PASSWORD", "mật khẩu",
            "MONEY_TRANSFER", "chuyển tiền", "PERSONAL_DATA", "thông tin cá nhân", "VISIT_OFFICE", "đến cơ quan",
            "CLICK_LINK", "bấm đường link", "SCAN_QR", "quét mã QR", "OTHER", "khác");

    private EvidenceExport() {
    }

    /**
     * One row per report and indicator (a report naming two indicators of a campaign is under each; its id tells),
     * in the order given, with a UTF-8 byte order mark so Excel reads the Vietnamese right; RFC 4180 quoting and no
     * cell Excel would run as a formula ({@link IndicatorCards#row}).
     */
    static byte[] csv(List<IndicatorEvidence> evidence) {
        StringBuilder csv = new StringBuilder("\uFEFF");
        IndicatorCards.row(csv, CSV_HEADER);
        for (IndicatorEvidence indicator : evidence) {
            for (ReportEvidence report : indicator.reports()) {
                IndicatorCards.row(csv, List.of(text(indicator.display()), text(report.reportId()),
                        time(report.occurredAt()), time(report.receivedAt()),
                        report.province() == null ? "" : AlertBoard.provinceName(report.province()),
                        label(CHANNELS, report.channel()), label(CONTACT_METHODS, report.contactMethod()),
                        String.join(", ", Objects.requireNonNullElse(report.requested(), List.<String>of()).stream()
                                .map(request -> label(REQUESTS, request)).toList()),
                        Long.toString(report.amountLostVnd()), text(report.notes()), text(report.submittedBy()),
                        text(report.reporterPseudonym()),
                        String.join(", ", Objects.requireNonNullElse(report.coIndicators(), List.of()))));
            }
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The evidence as the processor gave it, under what was exported: {@code subject} (the indicator whose evidence,
     * or whose campaign's, it is), {@code campaign}, and one {@code IndicatorEvidence} per indicator.
     */
    static byte[] json(String subject, boolean campaign, List<IndicatorEvidence> evidence) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("subject", subject);
        file.put("campaign", campaign);
        file.put("indicators", evidence);
        return SinkJson.write(file).getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 9530 {@code Repr-Digest} of the bytes: {@code sha-256=:<base64>:}. */
    static String reprDigest(byte[] bytes) {
        return "sha-256=:" + Base64.getEncoder().encodeToString(Hashing.sha256().hashBytes(bytes).asBytes()) + ":";
    }

    /** What {@code sha256sum} prints for the file. */
    static String sha256Hex(byte[] bytes) {
        return Hashing.sha256().hashBytes(bytes).toString();
    }

    /**
     * {@code bang-chung-tel-84904038115-20261205-193000.csv} ({@code bang-chung-chien-dich-...} for a campaign): the
     * indicator and the time in Vietnam, in characters every file system and mail client keeps.
     */
    static String fileName(String subject, boolean campaign, Format format, Instant exportedAt) {
        String indicator = subject.replaceAll("[^A-Za-z0-9.]+", "-").replaceAll("^-+|-+$", "");
        return "bang-chung-" + (campaign ? "chien-dich-" : "") + indicator + "-" + FILE_TIME.format(exportedAt) + "."
                + format.extension;
    }

    /** How many reports the file holds, for the audit log. */
    static int reports(List<IndicatorEvidence> evidence) {
        return evidence.stream().mapToInt(indicator -> indicator.reports().size()).sum();
    }

    /** The indicators of a campaign whose evidence the processor no longer holds, as an empty, truncated entry. */
    static IndicatorEvidence nothingKept(String indicator) {
        return new IndicatorEvidence(indicator, SinkJson.display(indicator), new ArrayList<>(), true);
    }

    private static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /** The Vietnamese word for a code; a code added later is written as it is, never dropped. */
    private static String label(Map<String, String> labels, String code) {
        return code == null ? "" : labels.getOrDefault(code, code);
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
