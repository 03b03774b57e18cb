package vn.bhxh.shield.province;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.geocoding.PhoneNumberOfflineGeocoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cross-checks every area code in provinces.csv against libphonenumber's geocoder for a valid landline, and that
 * {@link Provinces#ofLandline(String)} finds each of them.
 */
class AreaCodeGeocoderTest {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final PhoneNumberOfflineGeocoder GEOCODER = PhoneNumberOfflineGeocoder.getInstance();

    /**
     * Where the geocoder's English names differ from the csv's former province, with the csv being right:
     * 209 is Bắc Kạn, which the geocoder spells "Bac Can"; 270 is Vĩnh Long, misspelt "Ving Long".
     * The Vietnamese ("vi") data agrees with the csv everywhere.
     */
    private static final Set<String> KNOWN_ENGLISH_DISAGREEMENTS = Set.of("209", "270");

    @ParameterizedTest(name = "locale {0}")
    @CsvSource({"vi", "en"})
    void geocoderNamesTheFormerProvinceOfEveryAreaCode(String language) {
        Locale locale = Locale.forLanguageTag(language);
        List<String> disagreements = new ArrayList<>();
        for (Province province : Provinces.all()) {
            for (int i = 0; i < province.areaCodes().size(); i++) {
                String code = province.areaCodes().get(i);
                String described = GEOCODER.getDescriptionForNumber(sampleLandline(code), locale);
                if (!placeName(described).equals(placeName(province.formerNames().get(i)))) {
                    disagreements.add(code);
                }
            }
        }
        assertThat(disagreements).containsExactlyInAnyOrderElementsOf(
                language.equals("en") ? KNOWN_ENGLISH_DISAGREEMENTS : Set.of());
    }

    /**
     * {@link Provinces#ofLandline(String)} parses only what starts with {@code +842}: a valid landline of every area
     * code does, and is found in its province past that shortcut; mobiles, service and foreign numbers have none.
     */
    @Test
    void everyAreaCodesLandlinePassesTheShortcutToItsProvince() {
        for (Province province : Provinces.all()) {
            for (String code : province.areaCodes()) {
                String e164 = UTIL.format(sampleLandline(code), PhoneNumberUtil.PhoneNumberFormat.E164);
                assertThat(e164).startsWith("+842");
                assertThat(Provinces.ofLandline(e164)).as(e164).hasValue(province);
            }
        }
        for (String mobileOrService : List.of("+84904038115", "+84356789012", "+84567890123", "+84789012345",
                "+84812345678", "+8419009068", "+14155552671", "", "+84")) {
            assertThat(Provinces.ofLandline(mobileOrService)).as(mobileOrService).isEmpty();
        }
        assertThat(Provinces.ofLandline((String) null)).isEmpty();
    }

    /** The first valid fixed-line number of the area code; subscriber numbers start with 2-9 depending on it. */
    private static PhoneNumber sampleLandline(String areaCode) {
        return Stream.of("3", "6", "2", "7", "8", "5", "9")
                .map(first -> areaCode + first + "1234567".substring(0, 9 - areaCode.length()))
                .map(national -> new PhoneNumber().setCountryCode(84).setNationalNumber(Long.parseLong(national)))
                .filter(UTIL::isValidNumber)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no valid landline for area code " + areaCode));
    }

    /** "Thủ đô Hà Nội", "TP Đà Nẵng", "Thua Thien-Hue province", "Hanoi City" -> the bare folded place name. */
    private static String placeName(String name) {
        String key = Provinces.spacedKey(name)
                .replaceAll("^(?:thu do|thanh pho|tp|tinh) ", "")
                .replaceAll(" (?:province|city)$", "");
        return key.replace(" ", "");
    }
}
