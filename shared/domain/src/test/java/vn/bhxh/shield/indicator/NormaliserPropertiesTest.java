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
import vn.bhxh.shield.schema.IndicatorKind;

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
            // A profile link became the account, which is written as its display ("TikTok @handle"), not a link.
            Normalisation again = indicator.kind() == IndicatorKind.SOCIAL_ACCOUNT
                    ? normaliser.any(indicator.display()) : normaliser.link(indicator.value());
            assertThat(again.accepted()).hasValue(indicator);
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

    /**
     * A social account, e-wallet or bank account in any spelling people use gives one key, which parses back,
     * displays as something the normaliser reads back to the same key, and is never a shared platform's domain.
     */
    @Property
    void socialAccountsWalletsAndBankAccountsHaveOneStableKey(@ForAll("accountSpellings") Spelling spelling) {
        Indicator indicator = normaliser.any(spelling.raw()).accepted().orElseThrow(
                () -> new AssertionError(spelling.raw() + " was rejected: " + normaliser.any(spelling.raw())));

        assertThat(indicator.key()).as(spelling.raw()).isEqualTo(spelling.key());
        assertThat(Indicator.parseKey(indicator.key())).hasValue(indicator);
        assertThat(normaliser.any(indicator.display()).accepted()).as(indicator.display()).hasValue(indicator);
        assertThat(normaliser.keyOrAny(indicator.key()).accepted()).hasValue(indicator);
    }

    /** A link anywhere on a social network's hosts is an account or a page, never the platform's whole domain. */
    @Property
    void noLinkOnASocialNetworkListsItsDomain(@ForAll("socialLinks") String link) {
        normaliser.link(link).accepted().ifPresent(indicator -> {
            assertThat(indicator.kind()).as(link).isIn(IndicatorKind.SOCIAL_ACCOUNT, IndicatorKind.URL);
            assertThat(Indicator.parseKey(indicator.key())).hasValue(indicator);
            assertThat(normaliser.any(indicator.key().startsWith("url:") ? indicator.value() : indicator.display())
                    .accepted()).as(indicator.key()).hasValue(indicator);
        });
    }

    /** What a person typed and the key it must give. */
    record Spelling(String raw, String key) {
    }

    @Provide
    Arbitrary<Spelling> accountSpellings() {
        Arbitrary<String> facebookNames = Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789.")
                .ofMinLength(4).ofMaxLength(20).map(name -> "p" + name).filter(name -> !name.endsWith(".php"));
        Arbitrary<String> facebookIds = Arbitraries.strings().numeric().ofMinLength(6).ofMaxLength(16)
                .map(id -> "1" + id);
        Arbitrary<Spelling> facebook = Combinators.combine(Arbitraries.oneOf(facebookNames, facebookIds),
                Arbitraries.of("fb: %s", "Facebook %s", "facebook.com/%s", "https://www.facebook.com/%s/",
                        "m.facebook.com/%s?ref=share", "https://web.facebook.com/%s#about", "fb.com/%s"),
                Arbitraries.of(true, false))
                .as((name, form, upper) -> new Spelling(form.formatted(upper ? name.toUpperCase() : name),
                        "social:facebook:" + name));
        Arbitrary<Spelling> facebookProfiles = facebookIds.map(id -> new Spelling(
                "https://www.facebook.com/profile.php?id=" + id + "&mibextid=ZbWKwL", "social:facebook:" + id));
        Arbitrary<String> tiktokHandles = Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789._")
                .ofMinLength(2).ofMaxLength(20).map(handle -> "v" + handle);
        Arbitrary<Spelling> tiktok = Combinators.combine(tiktokHandles,
                Arbitraries.of("tiktok @%s", "TikTok: @%s", "Tik Tok %s", "@%s on TikTok", "@%s trên TikTok",
                        "tiktok.com/@%s?lang=vi", "https://www.tiktok.com/@%s?_t=8abc&_r=1", "m.tiktok.com/@%s/"),
                Arbitraries.of(true, false))
                .as((handle, form, upper) -> new Spelling(form.formatted(upper ? handle.toUpperCase() : handle),
                        "social:tiktok:@" + handle));
        Arbitrary<String> telegramNames = Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789_")
                .ofMinLength(4).ofMaxLength(30).map(name -> "b" + name);
        Arbitrary<Spelling> telegram = Combinators.combine(telegramNames,
                Arbitraries.of("telegram @%s", "Tele: @%s", "t.me/%s", "https://telegram.me/%s", "@%s trên Telegram"))
                .as((name, form) -> new Spelling(form.formatted(name), "social:telegram:@" + name));
        Arbitrary<Spelling> zalo = Combinators.combine(validPhones(),
                Arbitraries.of("zalo %s", "Zalo: %s", "zalo.me/%s", "https://zalo.me/%s"))
                .as((phone, form) -> new Spelling(form.formatted(phone),
                        "social:zalo:" + normaliser.phone(phone).accepted().orElseThrow().value()));
        Arbitrary<Spelling> wallets = Combinators.combine(validPhones(), Arbitraries.of(EWallet.values()),
                Arbitraries.of("%s %s", "ví %s: %s", "%s - %s"))
                .as((phone, wallet, form) -> new Spelling(form.formatted(wallet.displayName(), phone),
                        "wallet:" + wallet.code() + ":" + normaliser.phone(phone).accepted().orElseThrow().value()));
        Arbitrary<Spelling> banks = Combinators.combine(Arbitraries.of(Bank.all()),
                Arbitraries.strings().numeric().ofMinLength(6).ofMaxLength(19),
                Arbitraries.of("%s %s", "STK %2$s %1$s", "%s - %s", "Ngân hàng %s, số tài khoản: %s"))
                .flatAs((bank, digits, form) -> Arbitraries.of(bank.names()).map(name -> new Spelling(
                        form.formatted(name, digits), "bank:" + bank.code() + ":" + digits)));
        return Arbitraries.oneOf(facebook, facebookProfiles, tiktok, telegram, zalo, wallets, banks);
    }

    @Provide
    Arbitrary<String> socialLinks() {
        Arbitrary<String> hosts = Arbitraries.of("facebook.com", "www.facebook.com", "m.facebook.com", "fb.com",
                "web.facebook.com", "tiktok.com", "www.tiktok.com", "vm.tiktok.com", "t.me", "telegram.me", "zalo.me",
                "chat.zalo.me", "oa.zalo.me");
        Arbitrary<String> segments = Arbitraries.strings().withCharRange('a', 'z').withChars("AZ09-_.@+")
                .ofMaxLength(12).list().ofMaxSize(3).map(parts -> String.join("/", parts));
        Arbitrary<String> queries = Arbitraries.of("", "?id=100089", "?lang=vi", "?v=AbC&si=1", "?story_fbid=1&id=2");
        return Combinators.combine(Arbitraries.of("", "https://", "hxxps://"), hosts, segments, queries)
                .as((scheme, host, path, query) -> scheme + host + "/" + path + query);
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
                        "1900", "9068", "tiktok", "@", ".", ",", ";", "/", "０９０４", "zalo.me/", "bit.ly", "zalo", "Zalo:",
                        "MoMo", "ví", "ZaloPay", "t.me/", "fb.com/", "profile.php?id=", "Techcombank", "OceanBank"),
                Arbitraries.strings().numeric().ofMaxLength(12));
        return words.list().ofMaxSize(30).map(parts -> String.join(" ", parts));
    }
}
