package vn.bhxh.shield.indicator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import vn.bhxh.shield.indicator.Normalisation.Accepted;
import vn.bhxh.shield.indicator.Normalisation.Rejected;

class NormaliserPropertiesTest {

    private final Normaliser normaliser = new Normaliser();
    private final IdentifierExtractor extractor = new IdentifierExtractor(normaliser);

    @Property
    void normalisingADisplayOrE164FormGivesTheSameKey(@ForAll("validPhones") String phone) {
        Indicator indicator = normaliser.phone(phone).accepted().orElseThrow();

        assertThat(normaliser.phone(indicator.display()).accepted()).hasValue(indicator);
        assertThat(normaliser.phone(indicator.value()).accepted()).hasValue(indicator);
        assertThat(Indicator.parseKey(indicator.key())).hasValue(indicator);
    }

    @Property
    void separatorsBetweenDigitsDoNotChangeTheKey(@ForAll("validPhones") String phone,
            @ForAll("separatorLists") List<String> separators) {
        var spelled = new StringBuilder();
        for (int i = 0; i < phone.length(); i++) {
            spelled.append(phone.charAt(i)).append(i < phone.length() - 1 ? separators.get(i % separators.size()) : "");
        }

        assertThat(normaliser.phone(spelled.toString()).accepted())
                .isEqualTo(normaliser.phone(phone).accepted())
                .isPresent();
    }

    @Property
    void linkKeysAreStable(@ForAll("links") String link) {
        normaliser.link(link).accepted().ifPresent(indicator -> {
            String canonical = indicator.value();
            assertThat(normaliser.link(canonical).accepted()).hasValue(indicator);
            assertThat(Indicator.parseKey(indicator.key())).hasValue(indicator);
        });
    }

    /** Tiny, so that eviction happens within a run too. */
    private final Normaliser memoising = Normaliser.memoising(8);

    @Property
    void aMemoisingNormaliserAnswersAsThePlainOneEveryTime(@ForAll("identifiers") String identifier) {
        for (int i = 0; i < 2; i++) {
            assertThat(memoising.phone(identifier)).isEqualTo(normaliser.phone(identifier));
            assertThat(memoising.link(identifier)).isEqualTo(normaliser.link(identifier));
            assertThat(memoising.account(identifier)).isEqualTo(normaliser.account(identifier));
        }
    }

    @Property
    void garbageIsAlwaysAcceptedOrRejectedNeverThrown(@ForAll String garbage) {
        for (Normalisation result : List.of(normaliser.phone(garbage), normaliser.link(garbage),
                normaliser.account(garbage), normaliser.any(garbage))) {
            assertThat(result).isInstanceOfAny(Accepted.class, Rejected.class);
            if (result instanceof Rejected rejected) {
                assertThat(rejected.messageVi()).isNotBlank();
            }
        }
    }

    @Property
    void extractorNeverThrowsAndOnlyReturnsCanonicalKeys(@ForAll("noisyText") String text) {
        var extraction = extractor.extract(text);

        assertThat(extraction.indicators()).doesNotHaveDuplicates()
                .allSatisfy(indicator -> assertThat(Indicator.parseKey(indicator.key())).hasValue(indicator));
    }

    @Property
    void whatAnyAcceptsItAcceptsAgainFromItsDisplay(@ForAll("identifiers") String raw) {
        normaliser.any(raw).accepted().ifPresent(indicator -> {
            assertThat(normaliser.any(indicator.display()).accepted()).as(indicator.display()).hasValue(indicator);
            assertThat(Indicator.parseKey(indicator.key())).hasValue(indicator);
        });
    }

    @Property
    void extractorTakesAnyUnicodeAndEveryKeyItReturnsParsesAndNormalisesToItself(
            @ForAll("anyUnicode") String text) {
        var extraction = extractor.extract(text);

        assertThat(extraction.indicators()).doesNotHaveDuplicates().allSatisfy(indicator -> {
            assertThat(Indicator.parseKey(indicator.key())).hasValue(indicator);
            assertThat(normaliser.any(indicator.display()).accepted()).hasValue(indicator);
        });
        assertThat(extraction.rejected()).allSatisfy(rejected -> assertThat(rejected.messageVi()).isNotBlank());
    }

    @Property
    void parseKeyTakesAnyUnicodeAndOnlyGivesBackWhatItWasGiven(@ForAll("anyUnicode") String key) {
        Indicator.parseKey(key).ifPresent(indicator -> assertThat(indicator.key()).isEqualTo(key));
        Indicator.parseKey("tel:" + key).ifPresent(indicator -> assertThat(indicator.key()).isEqualTo("tel:" + key));
    }

    /** Numbers, links and bank accounts as people type them, mixed with junk around and inside them. */
    @Provide
    Arbitrary<String> identifiers() {
        Arbitrary<String> accounts = Combinators.combine(Arbitraries.of("VCB", "vietcombank", "TCB", "MB", "BIDV",
                        "Agribank", "stk", "tk"), Arbitraries.of(" ", ": ", " - ", " STK "),
                Arbitraries.strings().numeric().ofMinLength(6).ofMaxLength(16))
                .as((bank, separator, digits) -> bank + separator + digits);
        Arbitrary<String> junk = Arbitraries.strings().ofMaxLength(4);
        Arbitrary<String> known = Arbitraries.oneOf(validPhones(), links(), accounts);
        return Arbitraries.oneOf(known, Combinators.combine(junk, known, junk).as((a, b, c) -> a + b + c),
                anyUnicode());
    }

    /** Any code points: every plane, combining marks, controls, lone surrogates, Vietnamese. */
    @Provide
    Arbitrary<String> anyUnicode() {
        Arbitrary<Character> chars = Arbitraries.oneOf(Arbitraries.chars().all(),
                Arbitraries.chars().with("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ0123456789 .:/+-@"));
        return chars.list().ofMaxSize(80).map(list -> {
            StringBuilder text = new StringBuilder();
            list.forEach(text::append);
            return text.toString();
        });
    }

    @Provide
    Arbitrary<String> validPhones() {
        Arbitrary<String> mobiles = Combinators.combine(
                Arbitraries.of("090", "091", "093", "094", "096", "097", "098", "032", "035", "070", "077", "081",
                        "083", "085", "056", "058", "059", "086", "088", "089"),
                Arbitraries.strings().numeric().ofLength(7)).as(String::concat);
        Arbitrary<String> landlines = Combinators.combine(Arbitraries.of("024", "028"),
                Arbitraries.strings().numeric().ofLength(7)).as((code, rest) -> code + "3" + rest);
        Arbitrary<String> services = Arbitraries.strings().numeric().ofLength(4).map(rest -> "1900" + rest);
        // Not every generated number is allocated (e.g. 089 0xx xxxx); the properties are about valid ones.
        return Arbitraries.oneOf(mobiles, landlines, services).filter(phone -> normaliser.phone(phone).isAccepted());
    }

    @Provide
    Arbitrary<List<String>> separatorLists() {
        return Arbitraries.of("", " ", ".", "-", " - ", "  ").list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> links() {
        Arbitrary<String> hosts = Arbitraries.of("bhxh-vn.com", "www.facebook.com", "m.facebook.com",
                "vssid.github.io", "bit.ly", "www.tiktok.com", "t.me", "sub.baohiemxahoi.gov.vn", "10.0.0.1");
        Arbitrary<String> paths = Arbitraries.strings().withCharRange('a', 'z').withChars("AZ09-_.").ofMaxLength(12);
        Arbitrary<String> queries = Arbitraries.of("", "?utm_source=zalo", "?id=1000&fbclid=x", "?v=AbC&si=1");
        return Combinators.combine(Arbitraries.of("", "http://", "https://", "hxxps://"), hosts, paths, queries)
                .as((scheme, host, path, query) -> scheme + host + "/" + path + query);
    }

    @Provide
    Arbitrary<String> noisyText() {
        Arbitrary<String> words = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(8),
                Arbitraries.of("gọi", "0904.038.115", "+84", "(0)", "hxxp://", "[.]", "com", "vn", "VCB", "STK",
                        "1900", "9068", "tiktok", "@", ".", ",", ";", "/", "０９０４", "zalo.me/", "bit.ly"),
                Arbitraries.strings().numeric().ofMaxLength(12));
        return words.list().ofMaxSize(30).map(parts -> String.join(" ", parts));
    }
}
