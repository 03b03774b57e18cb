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
            "https://www.facebook.com/bhxhtphanoi|social:facebook:bhxhtphanoi",
            "https://www.facebook.com/baohiemxahoi.gov.vn|social:facebook:baohiemxahoi.gov.vn",
            "facebook.com/BHXHTPHANOI/|social:facebook:bhxhtphanoi",
            "https://m.facebook.com/bhxh.binhduong?mibextid=ZbWKwL&ref=share|social:facebook:bhxh.binhduong",
            "https://web.facebook.com/profile.php?id=100089&__cft__[0]=AZX&__tn__=-R|social:facebook:100089",
            "fb.com/bhxh.gia.mao#about|social:facebook:bhxh.gia.mao",
            "https://www.tiktok.com/@VssID.HoTro?_t=8abc&_r=1|social:tiktok:@vssid.hotro",
            "https://vm.tiktok.com/ZMhAbCdEf/|url:https://vm.tiktok.com/ZMhAbCdEf",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ&si=xyz&feature=share|url:https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ?si=abc|url:https://youtu.be/dQw4w9WgXcQ",
            "https://bit.ly/3AbCdEf?utm_source=zalo|url:https://bit.ly/3AbCdEf",
            "telegram.me/BHXH_HoTro|social:telegram:@bhxh_hotro",
            "https://t.me/+AbCdEf|url:https://t.me/+AbCdEf",
            "zalo.me/0904038115|social:zalo:+84904038115",
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
            "zalo 0904038115|social:zalo:+84904038115",
            "Zalo: 0904.038.115|social:zalo:+84904038115",
            "tiktok @VssID.HoTro|social:tiktok:@vssid.hotro",
            "Telegram: @bhxh_hotro|social:telegram:@bhxh_hotro",
            "fb: bhxh.gia.mao|social:facebook:bhxh.gia.mao",
            "https://www.facebook.com/bhxh.binhduong.gia|social:facebook:bhxh.binhduong.gia",
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
    void accountsBecomePhonesSocialAccountsOrBankAccounts(String raw, String key) {
        assertThat(normaliser.account(raw).accepted()).map(Indicator::key).hasValue(key);
    }

    /** A link to a profile, page or channel is the account; a link to something on it stays a page. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "https://www.facebook.com/profile.php?id=100064347810352|social:facebook:100064347810352",
            "m.facebook.com/bhxh.gia.mao/|social:facebook:bhxh.gia.mao",
            "https://mbasic.facebook.com/BHXH.Tra.Cuu.Online?refid=52|social:facebook:bhxh.tra.cuu.online",
            "https://www.facebook.com/people/BHXH-Ho-Tro-Truc-Tuyen/100089123456789/|social:facebook:100089123456789",
            "https://www.facebook.com/BHXH-Binh-Duong-104512345678901/|social:facebook:104512345678901",
            "https://www.facebook.com/bhxh.gia.mao/posts/pfbid02AbC|url:https://www.facebook.com/bhxh.gia.mao/posts/pfbid02abc",
            "https://www.facebook.com/groups/123456789012345/|url:https://www.facebook.com/groups/123456789012345",
            "https://www.facebook.com/share/p/1AbCdEf/|url:https://www.facebook.com/share/p/1abcdef",
            "https://www.facebook.com/permalink.php?story_fbid=1&id=100089|url:https://www.facebook.com/permalink.php?id=100089",
            "tiktok.com/@vssid.hotro?lang=vi|social:tiktok:@vssid.hotro",
            "https://m.tiktok.com/@VssID.HoTro/|social:tiktok:@vssid.hotro",
            "https://www.tiktok.com/@vssid.hotro/video/7301234567890123456?is_from_webapp=1|url:https://www.tiktok.com/@vssid.hotro/video/7301234567890123456",
            "t.me/bhxh_hotro|social:telegram:@bhxh_hotro",
            "https://t.me/bhxh_hotro/125|url:https://t.me/bhxh_hotro/125",
            "https://t.me/joinchat/AbCdEf12|url:https://t.me/joinchat/AbCdEf12",
            "https://zalo.me/84904038115|social:zalo:+84904038115",
            "zalo.me/4318591432958396440|social:zalo:4318591432958396440",
            "https://zalo.me/g/abcdef123|url:https://zalo.me/g/abcdef123",
    })
    void profileLinksBecomeSocialAccounts(String raw, String key) {
        assertThat(normaliser.link(raw).accepted()).map(Indicator::key).hasValue(key);
    }

    /** As people write accounts in the hotline form's accounts field and in messages. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "zalo 0904 038 115|social:zalo:+84904038115",
            "Zalo OA 4318591432958396440|social:zalo:4318591432958396440",
            "@vssid.hotro on TikTok|social:tiktok:@vssid.hotro",
            "@VssID.HoTro (TikTok)|social:tiktok:@vssid.hotro",
            "Tik Tok: @vssid.hotro|social:tiktok:@vssid.hotro",
            "facebook 100064347810352|social:facebook:100064347810352",
            "tele @bhxh_hotro|social:telegram:@bhxh_hotro",
            "MoMo 0904038115|wallet:momo:+84904038115",
            "ví MoMo: 0904.038.115|wallet:momo:+84904038115",
            "Momo - 0904 038 115 (Nguyen Van A)|wallet:momo:+84904038115",
            "ZaloPay 0904 038 115|wallet:zalopay:+84904038115",
            "zalo pay: 0904038115|wallet:zalopay:+84904038115",
            "Ví VNPAY 0912345678|wallet:vnpay:+84912345678",
            "ShopeePay +84 904 038 115|wallet:shopeepay:+84904038115",
            "ViettelPay 0987 654 321|wallet:viettelmoney:+84987654321",
            "Viettel Money: 0987654321|wallet:viettelmoney:+84987654321",
            "VNPT Money 0912 345 678|wallet:vnptmoney:+84912345678",
            "STK 0123456789 Vietcombank|bank:vcb:0123456789",
            "VCB 0123456789|bank:vcb:0123456789",
            "Techcombank - 19036123456789|bank:tcb:19036123456789",
            "VietinBank 1010 2345 6789|bank:ctg:101023456789",
            "ICB 101023456789|bank:ctg:101023456789",
            "BIDV 2151 0000 123456|bank:bidv:21510000123456",
            "Agribank chi nhánh Thanh Hóa 3500205123456|bank:vba:3500205123456",
            "TP Bank 0123 4567 890|bank:tpb:01234567890",
            "SeABank 000012345678|bank:ssb:000012345678",
            "LPBank 0123456789|bank:lpb:0123456789",
            "BVBank 99912345678|bank:vccb:99912345678",
            "Ngân hàng Bản Việt 0123456789|bank:vccb:0123456789",
            "Cake by VPBank 0904038115|bank:cake:0904038115",
            "Timo 9021234567890|bank:timo:9021234567890",
            "OceanBank 0123456789|bank:mbv:0123456789",
            "Ngân hàng Chính sách xã hội 0123456789|bank:vbsp:0123456789",
            "Shinhan Bank 700012345678|bank:shbvn:700012345678",
            "KienlongBank 0123456789|bank:klb:0123456789",
            "Ngân hàng Hợp tác xã 0123456789|bank:coopbank:0123456789",
            "DongA Bank 0123456789|bank:dob:0123456789",
            "PVcomBank 103001234567|bank:pvcb:103001234567",
            "stk: 0123456789 - NH Quốc Dân|bank:ncb:0123456789",
            "https://me.momo.vn/bhxhhoantien|url:https://me.momo.vn/bhxhhoantien",
            "me.momo.vn/BHXHHoanTien?utm_source=zalo|url:https://me.momo.vn/BHXHHoanTien",
    })
    void realSpellingsOfSocialAccountsWalletsAndBanks(String raw, String key) {
        assertThat(normaliser.account(raw).accepted()).map(Indicator::key).hasValue(key);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "MoMo|WALLET_WITHOUT_NUMBER",
            "MoMo 0123|WALLET_WITHOUT_NUMBER",
            "ZaloPay 0123456789|WALLET_WITHOUT_NUMBER",
            "zalo 0904 03|TOO_SHORT",
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
            "tiktok @vssid.hotro|social:tiktok:@vssid.hotro",
            "MoMo 0904038115|wallet:momo:+84904038115",
            "@bhxh_hotro trên Telegram|social:telegram:@bhxh_hotro",
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
