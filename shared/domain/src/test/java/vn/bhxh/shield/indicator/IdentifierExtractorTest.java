package vn.bhxh.shield.indicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.bhxh.shield.indicator.IdentifierExtractor.Extraction;
import vn.bhxh.shield.indicator.Normalisation.Rejected;

class IdentifierExtractorTest {

    private final IdentifierExtractor extractor = new IdentifierExtractor();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "000_0e3ef75964223d73.txt|tel:+84904038115 tel:+84994311220 tel:+84936417600 tel:+84994311201 tel:+842373753850",
            "001_17fd4c38345986bf.txt|domain:baohiemxahoi.gov.vn social:facebook:bhxhtphanoi tel:+842437236555 tel:+8419009068",
            "002_f58a329ed1024fba.txt|domain:baohiemxahoi.gov.vn",
            "003_1d162689a8b06a0b.txt|tel:+8419009068 social:facebook:baohiemxahoi.gov.vn",
            "004_b4a821fdd2ad52c3.txt|''",
    })
    void findsExactlyTheIdentifiersOfEachSeedArticle(String seed, String keys) throws IOException {
        Extraction extraction = extractor.extract(seedText(seed));

        assertThat(extraction.indicators()).map(Indicator::key)
                .containsExactly(keys.isEmpty() ? new String[0] : keys.split(" "));
        assertThat(extraction.rejected()).isEmpty();
    }

    @Test
    void ignoresNamesWithoutAPublicSuffixAndNumbersThatAreProse() {
        Extraction extraction = extractor.extract("qua Cổng dichvucong.baohiemxahoi; TP.HCM, v.v. đạt 7.739 tỷ đồng, "
                + "bằng 53,76% kế hoạch, tăng 1.805 tỷ đồng, đến ngày 15/5/2024 hay 07.04.2020, 1.000.000 đồng, "
                + "email hotro@gmail.com");

        assertThat(extraction.indicators()).isEmpty();
        assertThat(extraction.rejected()).isEmpty();
    }

    @Test
    void findsNumbersGluedToTextInAnySpelling() {
        Extraction extraction = extractor.extract("gọi 0904038115,nói là cán bộ; năm 2024 0936.417.600; "
                + "+84 (0) 994 311 220, 0084-994-311-201, số cũ 01623456789, ０２４３７２３６５５５ và 1900 9068.");

        assertThat(extraction.indicators()).map(Indicator::key).containsExactly("tel:+84904038115",
                "tel:+84936417600", "tel:+84994311220", "tel:+84994311201", "tel:+84323456789",
                "tel:+842437236555", "tel:+8419009068");
    }

    @Test
    void reportsPhoneLikeNumbersThatAreInvalid() {
        Extraction extraction = extractor.extract("Số lạ 09040381155 gọi tới, hoặc 0612 345 678.");

        assertThat(extraction.indicators()).isEmpty();
        assertThat(extraction.rejected()).map(Rejected::reason)
                .containsExactly(RejectReason.TOO_LONG, RejectReason.INVALID_PHONE_NUMBER);
    }

    @Test
    void findsLinksHandlesAndBankAccounts() {
        Extraction extraction = extractor.extract("Vào hxxp://baohiemxahoi-vn[.]com/cap-nhat hoặc bhxh-vn (.) com, "
                + "bảohiểmxãhội.vn, xem https://www.facebook.com/profile.php?id=100089123456789&__tn__=R, "
                + "kênh tiktok @VssID.HoTro rồi chuyển tiền vào STK Vietcombank: 0123 456 789.");

        assertThat(extraction.indicators()).map(Indicator::key).containsExactly("domain:baohiemxahoi-vn.com",
                "domain:bhxh-vn.com", "domain:xn--bohimxhi-wza8627efka2i.vn",
                "social:facebook:100089123456789", "social:tiktok:@vssid.hotro", "bank:vcb:0123456789");
    }

    @Test
    void findsZaloAccountsAndWalletsByTheNameBeforeTheNumber() {
        Extraction extraction = extractor.extract("Kẻ gian gọi 0936 417 600, bảo kết bạn Zalo: 0904.038.115 rồi "
                + "chuyển 2.000.000 đồng vào ví MoMo 0912 345 678 hoặc ZaloPay 0987654321 0936417600, "
                + "xem t.me/bhxh_hotro và zalo.me/4318591432958396440.");

        assertThat(extraction.indicators()).map(Indicator::key).containsExactly("tel:+84936417600",
                "social:zalo:+84904038115", "wallet:momo:+84912345678", "wallet:zalopay:+84987654321",
                "social:telegram:@bhxh_hotro", "social:zalo:4318591432958396440");
        assertThat(extraction.rejected()).isEmpty();
    }

    @Test
    void aBankNameClaimsTheNumberBesideIt() {
        Extraction extraction = extractor.extract("chuyển vào MB Bank 0904038115, rồi gọi 0936417600");

        assertThat(extraction.indicators()).map(Indicator::key)
                .containsExactly("bank:mb:0904038115", "tel:+84936417600");
    }

    @Test
    void saysWhereEachIdentifierIsWrittenInTheCompatibilityFormOfTheText() {
        String text = "Số ０９０４.038.115 gọi, STK Vietcombank 0123 456 789, số lạ 09040381155";
        String scanned = VietnameseText.compatibilityForm(text);

        assertThat(extractor.mentions(text)).extracting(m -> scanned.substring(m.start(), m.end()),
                        m -> m.result().isAccepted())
                .containsExactly(tuple("0904.038.115", true), tuple("0123 456 789", true), tuple("09040381155", false));
    }

    @Test
    void reportsBrokenObfuscatedLinks() {
        Extraction extraction = extractor.extract("link hxxps://bhxh[.]khongco nhé");

        assertThat(extraction.rejected()).map(Rejected::reason).containsExactly(RejectReason.UNKNOWN_SUFFIX);
    }

    private static String seedText(String name) throws IOException {
        try (InputStream in = IdentifierExtractorTest.class.getResourceAsStream("/seeds/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
