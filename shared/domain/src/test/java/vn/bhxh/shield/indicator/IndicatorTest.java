package vn.bhxh.shield.indicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import vn.bhxh.shield.schema.IndicatorKind;

class IndicatorTest {

    /** UNKNOWN is only what a reader makes of a kind a newer producer added: it names nothing that can be listed. */
    @Test
    void theUnknownKindIsNoIndicator() {
        assertThatThrownBy(() -> new Indicator(IndicatorKind.UNKNOWN, "anything"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UNKNOWN");
        assertThat(Indicator.parseKey("unknown:anything")).isEmpty();
        assertThat(Indicator.parseKey("UNKNOWN:anything")).isEmpty();
        assertThat(Indicator.parseKey("tel:+84904038115")).contains(Indicator.phone("+84904038115"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "social:facebook:bhxh.gia.mao|Facebook bhxh.gia.mao",
            "social:facebook:100064347810352|Facebook 100064347810352",
            "social:tiktok:@vssid.hotro|TikTok @vssid.hotro",
            "social:telegram:@bhxh_hotro|Telegram @bhxh_hotro",
            "social:zalo:+84904038115|Zalo 0904 038 115",
            "social:zalo:4318591432958396440|Zalo 4318591432958396440",
            "wallet:momo:+84904038115|MoMo 0904 038 115",
            "wallet:viettelmoney:+84987654321|Viettel Money 0987 654 321",
            "bank:vccb:99912345678|BVBank 99912345678",
    })
    void socialAccountsWalletsAndBankAccountsDisplayAsPeopleWriteThem(String key, String display) {
        Indicator indicator = Indicator.parseKey(key).orElseThrow();

        assertThat(indicator.display()).isEqualTo(display);
        assertThat(new Normaliser().any(display).accepted()).hasValue(indicator);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"social:facebook:", "social:myspace:abc", "social:facebook:Bhxh", "social:tiktok:vssid",
            "social:telegram:@abc", "social:zalo:0904038115", "social:zalo", "wallet:momo:0904038115",
            "wallet:paypal:+84904038115", "wallet:+84904038115", "bank:nosuchbank:0123456789"})
    void malformedKeysOfTheNewKindsDoNotParse(String key) {
        assertThat(Indicator.parseKey(key)).isEmpty();
    }

    /** Reporters' own numbers are personal data in every form they take. */
    @Test
    void aZaloAccountAndAWalletShareTheirPhoneNumber() {
        Indicator phone = Indicator.phone("+84904038115");
        Indicator zalo = Indicator.socialAccount(SocialNetwork.ZALO, "+84904038115");
        Indicator wallet = Indicator.eWallet(EWallet.MOMO, "+84904038115");

        assertThat(zalo.sharesPhoneNumberWith(phone)).isTrue();
        assertThat(wallet.sharesPhoneNumberWith(zalo)).isTrue();
        assertThat(Indicator.socialAccount(SocialNetwork.TIKTOK, "@x").sharesPhoneNumberWith(phone)).isFalse();
        assertThat(Indicator.domain("bhxh-vn.com").phoneNumber()).isEmpty();
    }
}
