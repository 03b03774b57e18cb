package vn.bhxh.shield.province;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normaliser;

class ProvincesTest {

    @Test
    void thereAre34ProvincesMadeOf63FormerOnes() {
        assertThat(Provinces.all()).hasSize(34);
        assertThat(Provinces.all()).filteredOn(p -> p.kind() == Province.Kind.CITY).map(Province::slug)
                .containsExactly("ha-noi", "hue", "hai-phong", "da-nang", "ho-chi-minh", "can-tho");
        assertThat(Provinces.all()).flatMap(Province::formerNames).hasSize(63).doesNotHaveDuplicates();
        assertThat(Provinces.all()).flatMap(Province::areaCodes).hasSize(63).doesNotHaveDuplicates();
    }

    @Test
    void everyFormerNameAndSlugLeadsToItsProvince() {
        for (Province province : Provinces.all()) {
            assertThat(Provinces.lookup(province.slug())).hasValue(province);
            assertThat(Provinces.lookup(province.name())).hasValue(province);
            province.formerNames().forEach(former -> assertThat(Provinces.lookup(former)).hasValue(province));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Bình Dương|ho-chi-minh", "binh duong|ho-chi-minh", "BÌNH DƯƠNG|ho-chi-minh",
            "tỉnh Bình Dương|ho-chi-minh", "thanh hoa|thanh-hoa", "TP.HCM|ho-chi-minh", "TPHCM|ho-chi-minh",
            "HCM|ho-chi-minh", "Sài Gòn|ho-chi-minh", "Thành phố Hồ Chí Minh|ho-chi-minh",
            "Thừa Thiên Huế|hue", "Huế|hue", "thua-thien-hue|hue", "Bà Rịa - Vũng Tàu|ho-chi-minh",
            "Ba Ria Vung Tau|ho-chi-minh", "Đắk Nông|lam-dong", "Dak Nong|lam-dong", "  đắk   lắk |dak-lak",
            "Đà Nẵng|da-nang", "Quảng Nam|da-nang", "Hà Nội|ha-noi", "T.P. Hà Nội|ha-noi", "tp. cần thơ|can-tho",
    })
    void lookupAcceptsHowPeopleWriteNames(String typed, String slug) {
        assertThat(Provinces.lookup(typed)).map(Province::slug).hasValue(slug);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Hà Tây|ha-noi", "ha tay|ha-noi", "tỉnh Hà Tây|ha-noi", "Vĩnh Phú|phu-tho", "Hà Bắc|bac-ninh",
            "Bắc Thái|thai-nguyen", "Hà Tuyên|tuyen-quang", "Hoàng Liên Sơn|lao-cai", "Hà Nam Ninh|ninh-binh",
            "Nam Hà|ninh-binh", "Quảng Nam - Đà Nẵng|da-nang", "Cửu Long|vinh-long", "Minh Hải|ca-mau",
    })
    void provincesDissolvedBefore2008LeadToTheProvinceThatHoldsThemNow(String typed, String slug) {
        assertThat(Provinces.lookup(typed)).map(Province::slug).hasValue(slug);
    }

    @ParameterizedTest
    @CsvSource({"Paris", "''", "Đắk", "Quảng", "Sông Bé", "Hải Hưng", "Nghệ Tĩnh"})
    void lookupNeverGuesses(String typed) {
        assertThat(Provinces.lookup(typed)).isEmpty();
    }

    @Test
    void searchMatchesTheStartOfCurrentOrFormerNames() {
        assertThat(Provinces.search("quang")).map(Province::slug)
                .containsExactly("da-nang", "quang-ninh", "quang-tri", "quang-ngai");
        assertThat(Provinces.search("Bình D")).map(Province::slug).containsExactly("ho-chi-minh", "gia-lai");
        assertThat(Provinces.search("tỉnh đắk")).map(Province::slug).containsExactly("lam-dong", "dak-lak");
        assertThat(Provinces.search("")).hasSize(34);
        assertThat(Provinces.search("xyz")).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "024 3723 6555|ha-noi", "0237 3753 850|thanh-hoa", "0225 326 5616|hai-phong",
            "0274 3822 123|ho-chi-minh", "028 3829 1234|ho-chi-minh", "0261 3544 123|lam-dong",
    })
    void landlinesBelongToTheProvinceOfTheirAreaCode(String number, String slug) {
        Indicator landline = new Normaliser().phone(number).accepted().orElseThrow();
        assertThat(Provinces.ofLandline(landline)).map(Province::slug).hasValue(slug);
    }

    @ParameterizedTest
    @CsvSource({"0904 038 115", "1900 9068", "+1 415 555 2671"})
    void mobilesAndServiceNumbersHaveNoProvince(String number) {
        Indicator phone = new Normaliser().phone(number).accepted().orElseThrow();
        assertThat(Provinces.ofLandline(phone)).isEmpty();
    }

    @Test
    void onlyPhonesHaveAProvince() {
        assertThat(Provinces.ofLandline(Indicator.domain("baohiemxahoi.gov.vn"))).isEmpty();
        assertThat(Provinces.ofLandline("not a number")).isEmpty();
    }
}
