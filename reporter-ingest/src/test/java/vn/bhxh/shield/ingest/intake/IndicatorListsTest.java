package vn.bhxh.shield.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normaliser;

class IndicatorListsTest {

    private final Normaliser normaliser = new Normaliser();

    /** What ingest writes into a report's list, the processor reads back to the same key with that list's rule. */
    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "tel:+84904038115|phoneNumbers|+84904038115",
            "domain:bhxh-vn.com|urls|bhxh-vn.com",
            "url:https://www.facebook.com/groups/123|urls|https://www.facebook.com/groups/123",
            "bank:vcb:0123456789|accounts|Vietcombank 0123456789",
            "social:tiktok:@vssid.hotro|accounts|TikTok @vssid.hotro",
            "social:facebook:100064347810352|accounts|Facebook 100064347810352",
            "social:zalo:+84904038115|accounts|Zalo 0904 038 115",
            "wallet:zalopay:+84904038115|accounts|ZaloPay 0904 038 115",
    })
    void eachKindGoesIntoItsFieldInASpellingThatGivesItsKeyBack(String key, String field, String entry) {
        Indicator indicator = Indicator.parseKey(key).orElseThrow();

        assertThat(IndicatorLists.field(indicator)).isEqualTo(field);
        assertThat(IndicatorLists.entry(indicator)).isEqualTo(entry);
        var readBack = switch (field) {
            case IndicatorLists.PHONES -> normaliser.phone(entry);
            case IndicatorLists.LINKS -> normaliser.link(entry);
            default -> normaliser.account(entry);
        };
        assertThat(readBack.accepted()).hasValue(indicator);
    }
}
