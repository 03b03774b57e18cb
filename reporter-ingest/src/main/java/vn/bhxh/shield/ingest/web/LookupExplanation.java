package vn.bhxh.shield.ingest.web;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import vn.bhxh.shield.lookup.IndicatorStatus;

/**
 * What the operator form says about an identifier, in Vietnamese, from the processor's answer: the status codes
 * ({@code NOT_LISTED}, {@code OFFICIAL_CHANNEL}, ...) mean nothing to a hotline operator, and the one case where the
 * operator must say something to the caller (a spoofed official channel) needs the words to say.
 *
 * @param tone     a word the page styles by: {@code none}, {@code reported}, {@code review}, {@code listed},
 *                 {@code official}, {@code cleared}, {@code unavailable}
 * @param headline one sentence: what is known
 * @param advice   what to tell the caller, or empty
 */
record LookupExplanation(String tone, String headline, String advice) {

    /** Said when the identifier is an official BHXH channel: the scammer spoofs it, the caller must hear this. */
    static final String OFFICIAL_ADVICE = "Kẻ gian đang giả mạo kênh này. Hãy nói với người dân: BHXH không bao giờ "
            + "yêu cầu đọc mã OTP, mật khẩu hay chuyển tiền qua điện thoại, không kết bạn Zalo để \"hỗ trợ\"; "
            + "khi nghi ngờ, hãy gọi lại tổng đài chính thức 1900 9068.";

    private static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("HH:mm 'ngày' dd/MM/yyyy").withZone(VIETNAM);

    /** The processor could not be asked: the report is still taken, only the status is missing. */
    static LookupExplanation unavailable() {
        return new LookupExplanation("unavailable",
                "Chưa tra cứu được (hệ thống phân tích tạm không phản hồi). Báo cáo vẫn được nhận bình thường.", "");
    }

    /** Known to nobody yet. */
    static LookupExplanation unreported() {
        return new LookupExplanation("none", "Chưa có báo cáo nào. Báo cáo này sẽ là báo cáo đầu tiên.", "");
    }

    static LookupExplanation official() {
        return new LookupExplanation("official", "Đây là kênh chính thức của BHXH Việt Nam, không bao giờ bị chặn.",
                OFFICIAL_ADVICE);
    }

    static LookupExplanation of(IndicatorStatus status) {
        int lastWeek = status.last7d() == null ? 0 : status.last7d().reportCount();
        String reports = lastWeek == 0 ? "" : " " + lastWeek + " báo cáo trong 7 ngày qua.";
        return switch (status.status()) {
            case OFFICIAL_CHANNEL -> official();
            case CONFIRMED -> new LookupExplanation("listed",
                    "Đã bị chặn" + since(status.listedAt()) + ", công an đã xác nhận." + reports,
                    "Hãy nói với người dân: đây là số lừa đảo, không làm theo yêu cầu của người gọi.");
            case LISTED -> new LookupExplanation("listed",
                    "Đã bị chặn" + since(status.listedAt()) + ", cán bộ BHXH đã xác nhận." + reports,
                    "Hãy nói với người dân: đây là số lừa đảo, không làm theo yêu cầu của người gọi.");
            case PROPOSED -> new LookupExplanation("review",
                    "Đang chờ cán bộ xem xét để chặn" + since(status.proposedAt())
                            + (status.escalated() ? ", đã chuyển lên BHXH Việt Nam." : ".") + reports, "");
            case REJECTED -> new LookupExplanation("cleared",
                    "Cán bộ đã xem xét và không chặn." + reports, "");
            case DELISTED -> new LookupExplanation("cleared",
                    "Đã được gỡ khỏi danh sách chặn." + reports, "");
            case NOT_LISTED -> lastWeek == 0 ? unreported()
                    : new LookupExplanation("reported",
                            "Đã có " + lastWeek + " báo cáo trong 7 ngày qua, chưa đủ để đề xuất chặn.", "");
        };
    }

    private static String since(Instant at) {
        return at == null ? "" : " từ " + SHOWN.format(at);
    }
}
