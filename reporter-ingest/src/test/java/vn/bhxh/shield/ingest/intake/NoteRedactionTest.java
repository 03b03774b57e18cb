package vn.bhxh.shield.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.bhxh.shield.indicator.Normaliser;

class NoteRedactionTest {

    private static final Set<String> SCAM_NUMBER = Set.of("tel:+84904038115");
    private final NoteRedaction redaction = new NoteRedaction(new Normaliser());

    @Test
    void aHotlineNoteKeepsTheScammersIdentifiersAndLosesTheCitizens() {
        String notes = "Tôi tên là Nguyễn Văn An, CCCD 038190012345, số của tôi 0981112223, email "
                + "an.nguyen90@gmail.com. Kẻ gian gọi từ 0904.038.115 tự xưng cán bộ BHXH Thanh Hóa, bảo chuyển "
                + "5.000.000 đồng vào STK Vietcombank 0123 456 789 của hắn. Tài khoản của tôi ở BIDV 21510001234567.";

        assertThat(redaction.redact(notes, Set.of("tel:+84904038115", "bank:vcb:0123456789"))).isEqualTo(
                "Tôi tên là [đã ẩn], CCCD [đã ẩn], số của tôi [đã ẩn], email [đã ẩn]. Kẻ gian gọi từ 0904.038.115 "
                        + "tự xưng cán bộ BHXH Thanh Hóa, bảo chuyển 5.000.000 đồng vào STK Vietcombank 0123 456 789 "
                        + "của hắn. Tài khoản của tôi ở BIDV [đã ẩn].");
    }

    @Test
    void theSameWithoutDiacritics() {
        String notes = "toi ten la Tran Thi Binh, cmnd 125678901, sdt cua toi 0912 345 678, mail: binh.tran@yahoo.com.vn."
                + " ke gian goi 0936417600 bao cap nhat VssID";

        assertThat(redaction.redact(notes, Set.of("tel:+84936417600"))).isEqualTo("toi ten la [đã ẩn], cmnd [đã ẩn], "
                + "sdt cua toi [đã ẩn], mail: [đã ẩn]. ke gian goi 0936417600 bao cap nhat VssID");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Gọi lại cho tôi: +84 981 112 223 hoặc 0981.112.223|Gọi lại cho tôi: [đã ẩn] hoặc [đã ẩn]",
            "con gái tôi 84981112223 và 0981-112-223|con gái tôi [đã ẩn] và [đã ẩn]",
            "số cũ 01623456789, cố định 024 3723 6555|số cũ [đã ẩn], cố định [đã ẩn]",
            "Mã số BHXH: 3819012345, thẻ BHYT HC4383819012345|Mã số BHXH: [đã ẩn], thẻ BHYT HC[đã ẩn]",
            "căn cước công dân số 038 190 012 345 cấp năm 2021|căn cước công dân số [đã ẩn] cấp năm 2021",
            "chứng minh nhân dân 125.678.901|chứng minh nhân dân [đã ẩn]",
            "CCCD038190012345|CCCD[đã ẩn]",
            "số tài khoản của tôi: 19034567890123 (chưa chuyển)|số tài khoản của tôi: [đã ẩn] (chưa chuyển)",
            "stk 0451000123 ngan hang nong nghiep|stk [đã ẩn] ngan hang nong nghiep",
            "Họ tên: NGUYỄN THỊ LAN, 67 tuổi|Họ tên: [đã ẩn], 67 tuổi",
            "Tôi là bà Lê Thị Hoa ở Đông Sơn|Tôi là bà [đã ẩn] ở Đông Sơn",
            "tên em là Hùng, em là Phạm Quốc Huy|tên em là [đã ẩn], em là [đã ẩn]",
            "Bị hại ông Nguyen Van An, CMND 125678901, SĐT 0981.112.223|Bị hại ông [đã ẩn], CMND [đã ẩn], SĐT [đã ẩn]",
            "nạn nhân là bà Đỗ Thị Mai (72 tuổi)|nạn nhân là bà [đã ẩn] (72 tuổi)",
    })
    void blanksEveryKindOfPersonalData(String notes, String redacted) {
        assertThat(redaction.redact(notes, SCAM_NUMBER)).isEqualTo(redacted);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Số 0904 038 115 gọi tự xưng cán bộ, lại gọi bằng +84 904 038 115",
            "mất 15.000.000đ, rồi 150000000 đồng, 1,500,000 VND nữa, tổng 165.000.000",
            "ngày 20/11/2024 lúc 9h15, hẹn 2024-11-21, hồ sơ số 4512",
            "Tôi là người dân ở Thanh Hóa, người gọi tự xưng cán bộ BHXH, tôi là nạn nhân",
            "bảo vào baohiemxahoi-vn.com cập nhật, kết bạn tiktok @VssID.HoTro",
    })
    void keepsIndicatorsAmountsDatesAndProse(String notes) {
        assertThat(redaction.redact(notes, SCAM_NUMBER)).isEqualTo(notes);
    }

    @Test
    void aScamBankAccountStaysOnlyWhenItIsAnIndicator() {
        String notes = "chuyển vào MB Bank 0904038115";

        assertThat(redaction.redact(notes, Set.of("bank:mb:0904038115"))).isEqualTo(notes);
        assertThat(redaction.redact(notes, Set.of())).isEqualTo("chuyển vào MB Bank [đã ẩn]");
    }

    @Test
    void aFanpageMessageKeepsOnlyTheIndicatorsItsWriterDidNotCallTheirOwn() {
        String message = "Em tên là Lê Thị Hoa, CCCD 038 190 012 345. Số 0971234567 gọi bảo cập nhật VssID. Sđt của "
                + "em 0981 112 223, mail lethihoa@gmail.com, STK của em ở Techcombank: 19034567890123";
        Set<String> indicators = new NoteIdentifiers(new Normaliser()).read(message, Optional.empty()).stream()
                .filter(found -> !found.writersOwn()).map(found -> found.indicator().key())
                .collect(Collectors.toSet());

        assertThat(indicators).containsExactly("tel:+84971234567");
        assertThat(redaction.redact(message, indicators)).isEqualTo("Em tên là [đã ẩn], CCCD [đã ẩn]. Số 0971234567 "
                + "gọi bảo cập nhật VssID. Sđt của em [đã ẩn], mail [đã ẩn], STK của em ở Techcombank: [đã ẩn]");
    }

    @Test
    void aPhoneNumberNotAmongTheIndicatorsIsBlankedEvenWhenShort() {
        assertThat(redaction.redact("gọi 1900 9068 và 0904038115", Set.of()))
                .isEqualTo("gọi [đã ẩn] và [đã ẩn]");
    }

    @Test
    void fullWidthDigitsAreReadAndPrivateUseCharactersCannotBringBackAnything() {
        assertThat(redaction.redact("số tôi ０９８１１１２２２３", SCAM_NUMBER)).isEqualTo("số tôi [đã ẩn]");
        assertThat(redaction.redact("\uE000\uE001 gọi 0904038115", SCAM_NUMBER)).isEqualTo(" gọi 0904038115");
        assertThat(redaction.redact(null, SCAM_NUMBER)).isNull();
    }

    /** A number is personal data as a Zalo account or a wallet too: blanked unless it is one of the indicators. */
    @Test
    void aZaloAccountOrWalletStaysOnlyWhenItIsAnIndicator() {
        String notes = "Kẻ gian bảo kết bạn Zalo 0904 038 115 rồi chuyển vào ví MoMo 0912 345 678";

        assertThat(redaction.redact(notes, Set.of("social:zalo:+84904038115", "wallet:momo:+84912345678")))
                .isEqualTo(notes);
        assertThat(redaction.redact(notes, Set.of("social:zalo:+84904038115")))
                .startsWith("Kẻ gian bảo kết bạn Zalo 0904 038 115 rồi chuyển vào ví").doesNotContain("345")
                .contains("[đã ẩn]");
    }
}
