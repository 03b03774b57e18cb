package vn.bhxh.shield.indicator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.indicator.Normalisation.Rejected;

class NormaliserTest {

    private final Normaliser normaliser = new Normaliser();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "0904.038.115|tel:+84904038115",
            "0994.311.220|tel:+84994311220",
            "0936.417.600|tel:+84936417600",
            "0994.311.201|tel:+84994311201",
            "02373.753.850|tel:+842373753850",
            "0237 3753 850|tel:+842373753850",
            "024.37236555|tel:+842437236555",
            "024 3723 6555|tel:+842437236555",
            "0225 326 5616|tel:+842253265616",
            "1900.9068|tel:+8419009068",
            "1900 9068|tel:+8419009068",
            "1900 123 456|tel:+841900123456",
            "+84 904 038 115|tel:+84904038115",
            "84904038115|tel:+84904038115",
            "0084 904 038 115|tel:+84904038115",
            "+84 (0) 904 038 115|tel:+84904038115",
            "(024) 3723-6555|tel:+842437236555",
            "０９０４０３８１１５|tel:+84904038115",
            "＋８４ ９０４ ０３８ １１５|tel:+84904038115",
            "0904-038-115|tel:+84904038115",
            "01623456789|tel:+84323456789",
            "0120 345 6789|tel:+84703456789",
            "01993456789|tel:+84593456789",
            "+84 1263456789|tel:+84763456789",
            "841293456789|tel:+84823456789",
            "+1 415 555 2671|tel:+14155552671",
    })
    void phoneNumbersBecomeE164(String raw, String key) {
        assertThat(normaliser.phone(raw).accepted()).map(Indicator::key).hasValue(key);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "0904 03|TOO_SHORT",
            "09040381155|TOO_LONG",
            "024 3723 655|TOO_SHORT",
            "0123456789|INVALID_PHONE_NUMBER",
            "0612345678|INVALID_PHONE_NUMBER",
            "1900 90|TOO_SHORT",
            "gọi tôi|NOT_A_PHONE_NUMBER",
            "'   '|EMPTY",
            "+84 9+04038115|NOT_A_PHONE_NUMBER",
    })
    void invalidPhoneNumbersAreRejectedWithAReason(String raw, RejectReason reason) {
        assertThat(normaliser.phone(raw)).isInstanceOfSatisfying(Rejected.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(reason));
    }

    @Test
    void rejectionExplainsInVietnamese() {
        assertThat(normaliser.phone("0904 03")).isEqualTo(new Rejected("0904 03", RejectReason.TOO_SHORT,
                "Số điện thoại 0904 03 không hợp lệ: thiếu chữ số (số di động có 10 chữ số)."));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "https://hanoi.baohiemxahoi.gov.vn|domain:baohiemxahoi.gov.vn",
            "https://binhduong.baohiemxahoi.gov.vn|domain:baohiemxahoi.gov.vn",
            "<https://binhduong.baohiemxahoi.gov.vn>|domain:baohiemxahoi.gov.vn",
            "baohiemxahoi.gov.vn|domain:baohiemxahoi.gov.vn",
            "vss.gov.vn|domain:vss.gov.vn",
            "dichvucong.gov.vn|domain:dichvucong.gov.vn",
            "hxxp://baohiemxahoi-vn[.]com/cap-nhat|domain:baohiemxahoi-vn.com",
            "hxxps[://]bhxh-vn(.)com|domain:bhxh-vn.com",
            "baohiemxahoi-vn [dot] com|domain:baohiemxahoi-vn.com",
            "baohiemxahoi-vn . com|domain:baohiemxahoi-vn.com",
            "bhxh{.}online/otp|domain:bhxh.online",
            "HTTPS://WWW.BHXH-VN.COM.|domain:bhxh-vn.com",
            "http://bảohiểmxãhội.vn/đăng-nhập|domain:xn--bohimxhi-wza8627efka2i.vn",
            "https://www.facebook.com/bhxhtphanoi|url:https://www.facebook.com/bhxhtphanoi",
            "https://www.facebook.com/baohiemxahoi.gov.vn|url:https://www.facebook.com/baohiemxahoi.gov.vn",
            "facebook.com/BHXHTPHANOI/|url:https://www.facebook.com/bhxhtphanoi",
            "https://m.facebook.com/bhxh.binhduong?mibextid=ZbWKwL&ref=share|url:https://www.facebook.com/bhxh.binhduong",
            "https://web.facebook.com/profile.php?id=100089&__cft__[0]=AZX&__tn__=-R|url:https://www.facebook.com/profile.php?id=100089",
            "fb.com/bhxh.gia.mao#about|url:https://www.facebook.com/bhxh.gia.mao",
            "https://www.tiktok.com/@VssID.HoTro?_t=8abc&_r=1|url:https://www.tiktok.com/@vssid.hotro",
            "https://vm.tiktok.com/ZMhAbCdEf/|url:https://vm.tiktok.com/ZMhAbCdEf",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ&si=xyz&feature=share|url:https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ?si=abc|url:https://youtu.be/dQw4w9WgXcQ",
            "https://bit.ly/3AbCdEf?utm_source=zalo|url:https://bit.ly/3AbCdEf",
            "telegram.me/BHXH_HoTro|url:https://t.me/bhxh_hotro",
            "https://t.me/+AbCdEf|url:https://t.me/+AbCdEf",
            "zalo.me/0904038115|url:https://zalo.me/0904038115",
            "https://sites.google.com/view/bhxh-vn|url:https://sites.google.com/view/bhxh-vn",
            "https://vssid-hotro.github.io/login|url:https://vssid-hotro.github.io/login",
            "bhxh-capnhat.blogspot.com|url:https://bhxh-capnhat.blogspot.com",
            "https://bhxh.web.app/?utm_campaign=x&b=2&a=1|url:https://bhxh.web.app?a=1&b=2",
            "http://103.57.221.10:8080/bhxh/login|url:https://103.57.221.10/bhxh/login",
    })
    void linksBecomeDomainsOrPlatformPages(String raw, String key) {
        assertThat(normaliser.link(raw).accepted()).map(Indicator::key).hasValue(key);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "dichvucong.baohiemxahoi|UNKNOWN_SUFFIX",
            "https://www.facebook.com/|PLATFORM_ROOT",
            "https://www.facebook.com/?ref=bookmarks|PLATFORM_ROOT",
            "bit.ly|PLATFORM_ROOT",
            "github.io|INVALID_DOMAIN",
            "http://bad_host!.com|INVALID_DOMAIN",
            "không có link|NOT_A_LINK",
            "''|EMPTY",
    })
    void badLinksAreRejected(String raw, RejectReason reason) {
        assertThat(normaliser.link(raw)).isInstanceOfSatisfying(Rejected.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(reason));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "zalo 0904038115|tel:+84904038115",
            "Zalo: 0904.038.115|tel:+84904038115",
            "tiktok @VssID.HoTro|url:https://www.tiktok.com/@vssid.hotro",
            "Telegram: @bhxh_hotro|url:https://t.me/bhxh_hotro",
            "fb: bhxh.gia.mao|url:https://www.facebook.com/bhxh.gia.mao",
            "https://www.facebook.com/bhxh.binhduong.gia|url:https://www.facebook.com/bhxh.binhduong.gia",
            "Vietcombank 0123456789|bank:vcb:0123456789",
            "STK 0123 456 789 - VCB|bank:vcb:0123456789",
            "số tài khoản 1903 5678 9012 34 Techcombank|bank:tcb:19035678901234",
            "Ngân hàng Quân Đội 0904038115|bank:mb:0904038115",
            "MB Bank 0904038115|bank:mb:0904038115",
            "mbbank: 0904038115|bank:mb:0904038115",
            "NH Nông nghiệp 1500205123456|bank:vba:1500205123456",
            "Lien Viet Post Bank 012345678|bank:lpb:012345678",
            "Nam A Bank 123456789|bank:nab:123456789",
            "ngân hàng Sài Gòn Thương Tín 0601 2345 6789|bank:stb:060123456789",
    })
    void accountsBecomePhonesPagesOrBankAccounts(String raw, String key) {
        assertThat(normaliser.account(raw).accepted()).map(Indicator::key).hasValue(key);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "0123456789|UNKNOWN_BANK",
            "Vietcombank 12345|INVALID_ACCOUNT_NUMBER",
            "Vietcombank|INVALID_ACCOUNT_NUMBER",
            "ông Nguyễn Văn A|NOT_AN_ACCOUNT",
    })
    void badAccountsAreRejected(String raw, RejectReason reason) {
        assertThat(normaliser.account(raw)).isInstanceOfSatisfying(Rejected.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(reason));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "0904 038 115|tel:+84904038115",
            "VCB 0123456789|bank:vcb:0123456789",
            "hxxps://bhxh-vn[.]com|domain:bhxh-vn.com",
            "tiktok @vssid.hotro|url:https://www.tiktok.com/@vssid.hotro",
    })
    void anyIdentifier(String raw, String key) {
        assertThat(normaliser.any(raw).accepted()).map(Indicator::key).hasValue(key);
    }

    @Test
    void anyGivesThePhoneReasonForBareDigits() {
        assertThat(normaliser.any("0904 03")).isInstanceOfSatisfying(Rejected.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(RejectReason.TOO_SHORT));
    }

    /** A key typed by hand (a decision, the lookup API) is taken as is, except a domain, held to the link rules. */
    @Test
    void aCanonicalKeyIsTakenAsIsButAPlatformsWholeDomainNever() {
        assertThat(normaliser.keyOrAny("tel:+84904038115"))
                .isEqualTo(new Normalisation.Accepted(Indicator.phone("+84904038115")));
        assertThat(normaliser.keyOrAny("domain:bhxh-vn.com"))
                .isEqualTo(new Normalisation.Accepted(Indicator.domain("bhxh-vn.com")));
        assertThat(normaliser.keyOrAny("0904.038.115"))
                .isEqualTo(new Normalisation.Accepted(Indicator.phone("+84904038115")));
        for (String platform : List.of("domain:facebook.com", "domain:google.com", "domain:bit.ly")) {
            assertThat(normaliser.keyOrAny(platform)).as(platform).isInstanceOf(Rejected.class);
        }
    }
}
