package vn.bhxh.shield.sink;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistEntry;

/**
 * What a citizen is told about a number or link they typed: listed as a scam since a day, an official BHXH channel,
 * or no reports (stay careful), always with BHXH's own advice. A pure function of the normalised input, the
 * partners' listing of it and the official channel covering it.
 *
 * <p>Only that: never how many reported it, from which provinces, whether it is proposed for listing, nor why (a
 * reason could name who confirmed it). A citizen needs to know whether to trust a caller, and anything more would
 * tell a scammer how close a number is to being listed.
 */
final class CitizenCheck {

    enum Verdict { LISTED, OFFICIAL, NO_REPORTS, INVALID }

    /** BHXH's advice to citizens, from its own warnings (the articles in the product's seeds). */
    static final List<String> ADVICE = List.of(
            "BHXH không gọi điện, nhắn tin hay kết bạn Zalo để yêu cầu cung cấp căn cước công dân, thông tin cá nhân, "
                    + "cập nhật ứng dụng VssID hay tích hợp thẻ BHYT vào căn cước.",
            "BHXH không gọi điện yêu cầu người dân lên trụ sở để cập nhật thông tin cá nhân.",
            "Không đọc mã OTP, mật khẩu hay số tài khoản cho bất kỳ ai; không chuyển tiền khi không rõ người nhận.",
            "Không bấm vào đường link lạ, không quét mã QR, không cài ứng dụng theo hướng dẫn của người lạ; chỉ tải "
                    + "VssID từ CH Play hoặc App Store.",
            "Mọi dịch vụ của BHXH đều miễn phí, kể cả cấp lại mật khẩu VssID: ai đòi tiền phí là lừa đảo.",
            "Khi nghi ngờ, hãy từ chối cuộc gọi và tự gọi Tổng đài BHXH 1900 9068, hoặc báo cơ quan công an nơi cư "
                    + "trú hay cơ quan BHXH gần nhất.");

    /**
     * For an official number BHXH only receives calls on (inbound-only, on telecoms' Do-Not-Originate list): the
     * seed articles' advice (refuse the call, call BHXH yourself) made certain, since any call showing it is fake.
     */
    static final String NEVER_CALLS_FROM = "BHXH không bao giờ gọi cho người dân từ số này, số chỉ dùng để nhận cuộc "
            + "gọi đến: cuộc gọi hiển thị số này là giả mạo. Hãy từ chối cuộc gọi, không làm theo yêu cầu nào, và tự "
            + "gọi vào số này khi cần hỏi BHXH.";
    private static final String STAY_CAREFUL = "hãy luôn cảnh giác: BHXH không bao giờ gọi điện đòi mã OTP, mật khẩu, "
            + "tiền hay yêu cầu lên cơ quan để cập nhật VssID.";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy")
            .withZone(IndicatorCards.VIETNAM);

    /** One answer; {@code indicator} and {@code since} are null where they do not apply. */
    record Answer(String query, Indicator indicator, Verdict verdict, Instant since, String message,
                  List<String> advice) {

        /** The JSON of {@code GET /api/v1/check}, field by field: nothing of the listing beyond its day. */
        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("query", query);
            json.put("indicator", indicator == null ? null : Map.of("key", indicator.key(),
                    "display", indicator.display(), "kind", indicator.kind().name()));
            json.put("verdict", verdict.name());
            if (since != null) {
                json.put("since", since);
            }
            json.put("message", message);
            json.put("advice", advice);
            return json;
        }
    }

    private CitizenCheck() {
    }

    /**
     * @param listing       the indicator's listing as partners see it now (an official channel is never listed)
     * @param official      the official channel covering the indicator, if one does
     */
    static Answer answer(String query, Normalisation normalised, Optional<BlocklistEntry> listing,
                         Optional<AllowlistEntry> official) {
        if (!(normalised instanceof Normalisation.Accepted accepted)) {
            return new Answer(query, null, Verdict.INVALID, null, ((Normalisation.Rejected) normalised).messageVi(),
                    ADVICE);
        }
        Indicator indicator = accepted.indicator();
        if (official.isPresent()) {
            return new Answer(query, indicator, Verdict.OFFICIAL, null, "Đây là kênh chính thức của BHXH: "
                    + official.get().getName() + ". " + (official.get().getInboundOnly() ? NEVER_CALLS_FROM + " " : "")
                    + "Kẻ gian có thể giả số gọi đến hay làm trang giống hệt, nên dù vậy " + STAY_CAREFUL, ADVICE);
        }
        if (listing.isPresent()) {
            Instant since = listing.get().getListedAt();
            return new Answer(query, indicator, Verdict.LISTED, since, capitalised(what(indicator))
                    + " đã bị đưa vào danh sách lừa đảo giả danh BHXH từ ngày " + DAY.format(since)
                    + ". Đừng làm theo bất kỳ yêu cầu nào, đừng chuyển tiền và hãy chặn " + what(indicator) + ".",
                    ADVICE);
        }
        return new Answer(query, indicator, Verdict.NO_REPORTS, null, "Chưa có báo cáo nào về " + what(indicator)
                + " — " + STAY_CAREFUL, ADVICE);
    }

    /** How the sentence names the thing: a kind added later still reads right. */
    private static String what(Indicator indicator) {
        return switch (indicator.kind()) {
            case PHONE -> "số này";
            case DOMAIN -> "tên miền này";
            case URL -> "đường link này";
            case BANK_ACCOUNT, SOCIAL_ACCOUNT -> "tài khoản này";
            case E_WALLET -> "ví điện tử này";
            default -> "mục này";
        };
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
