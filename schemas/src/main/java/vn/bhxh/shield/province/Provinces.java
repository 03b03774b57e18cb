package vn.bhxh.shield.province;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.VietnameseText;
import vn.bhxh.shield.schema.IndicatorKind;

/** The 34 provinces, loaded once from the versioned {@code provinces.csv} next to this class. */
public final class Provinces {

    private static final String RESOURCE = "provinces.csv";
    private static final Pattern PUNCTUATION = Pattern.compile("[\\s.\\-_,]+");
    /** Administrative prefixes people put before a name ("tỉnh Bình Dương", "TP.HCM"), folded. */
    private static final Pattern ADMINISTRATIVE_PREFIX = Pattern.compile("^(?:tinh|thanh pho|thu do|t ?p)\\s*");
    /** Colloquial names that are in no official list; folded and compacted. */
    private static final Map<String, String> COLLOQUIAL = Map.of(
            "hcm", "ho-chi-minh", "hcmc", "ho-chi-minh", "saigon", "ho-chi-minh", "tphcm", "ho-chi-minh",
            "hn", "ha-noi");
    /**
     * Provinces dissolved before 2008 whose names people still write (an old address, an ID card), where every
     * part now lies in one province: Hà Tây joined Hà Nội in 2008, the others were split in 1989-1997 and their
     * parts merged again in 2025. Names whose parts are now in different provinces (Sông Bé, Hải Hưng, Nghệ Tĩnh,
     * Hà Sơn Bình, Nghĩa Bình, Phú Khánh, Thuận Hải, Bình Trị Thiên, Cao Lạng, Gia Lai - Kon Tum) are left out:
     * the lookup never guesses.
     */
    private static final Map<String, String> DISSOLVED = Map.ofEntries(
            Map.entry("Hà Tây", "ha-noi"), Map.entry("Vĩnh Phú", "phu-tho"), Map.entry("Hà Bắc", "bac-ninh"),
            Map.entry("Bắc Thái", "thai-nguyen"), Map.entry("Hà Tuyên", "tuyen-quang"),
            Map.entry("Hoàng Liên Sơn", "lao-cai"), Map.entry("Hà Nam Ninh", "ninh-binh"),
            Map.entry("Nam Hà", "ninh-binh"), Map.entry("Quảng Nam - Đà Nẵng", "da-nang"),
            Map.entry("Cửu Long", "vinh-long"), Map.entry("Minh Hải", "ca-mau"));

    private static final List<Province> ALL = load();
    /** Every report is checked by slug: a map, not a scan. */
    private static final Map<String, Province> BY_SLUG = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(Province::slug, province -> province));
    private static final Map<String, Province> BY_NAME_KEY = indexByNameKey();
    private static final PhoneNumberUtil PHONE_UTIL = PhoneNumberUtil.getInstance();
    /** The start of every Vietnamese landline in E.164: +84, then an area code (all begin with 2). */
    private static final String LANDLINE_PREFIX = "+842";

    private Provinces() {
    }

    /** All 34, in file order (cities first). */
    public static List<Province> all() {
        return ALL;
    }

    public static Optional<Province> bySlug(String slug) {
        return slug == null ? Optional.empty() : Optional.ofNullable(BY_SLUG.get(slug));
    }

    /**
     * The province for a slug, its name or any former province's name, however typed: with or without
     * diacritics, any case, extra spaces, hyphens or dots, with "tỉnh", "thành phố" or "TP" in front.
     */
    public static Optional<Province> lookup(String nameOrSlug) {
        if (nameOrSlug == null) {
            return Optional.empty();
        }
        String spaced = spacedKey(nameOrSlug);
        return Stream.of(compact(spaced), compact(ADMINISTRATIVE_PREFIX.matcher(spaced).replaceFirst("")))
                .map(BY_NAME_KEY::get)
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    /** Provinces whose current or former name starts with the typed text, for a type-ahead picker. */
    public static List<Province> search(String prefix) {
        String typed = ADMINISTRATIVE_PREFIX.matcher(spacedKey(prefix == null ? "" : prefix)).replaceFirst("");
        return ALL.stream()
                .filter(province -> Stream.concat(Stream.of(province.name()), province.formerNames().stream())
                        .anyMatch(name -> spacedKey(name).startsWith(typed)))
                .toList();
    }

    /** The province of a Vietnamese landline by its area code; empty for mobiles, service and foreign numbers. */
    public static Optional<Province> ofLandline(Indicator indicator) {
        return indicator.kind() == IndicatorKind.PHONE ? ofLandline(indicator.value()) : Optional.empty();
    }

    /**
     * The same for a number in E.164. Every Vietnamese landline is {@code +84 2…} (all area codes start with 2 since
     * 2017; mobiles are {@code +84 3, 5, 7, 8, 9}, service numbers {@code +84 1}): anything else is told apart by that
     * prefix without parsing, which matters because the processor asks this for every report of every number.
     */
    public static Optional<Province> ofLandline(String e164) {
        if (e164 == null || !e164.startsWith(LANDLINE_PREFIX)) {
            return Optional.empty();
        }
        try {
            var number = PHONE_UTIL.parse(e164, "VN");
            if (number.getCountryCode() != 84 || PHONE_UTIL.getNumberType(number) != PhoneNumberType.FIXED_LINE) {
                return Optional.empty();
            }
            String areaCode = PHONE_UTIL.getNationalSignificantNumber(number)
                    .substring(0, PHONE_UTIL.getLengthOfNationalDestinationCode(number));
            return ALL.stream().filter(province -> province.areaCodes().contains(areaCode)).findFirst();
        } catch (NumberParseException notAPhoneNumber) {
            return Optional.empty();
        }
    }

    /** "  Bà Rịa - Vũng Tàu " -> "ba ria vung tau". */
    static String spacedKey(String name) {
        String folded = VietnameseText.fold(VietnameseText.compatibilityForm(name.strip()));
        return PUNCTUATION.matcher(folded).replaceAll(" ").strip().toLowerCase(Locale.ROOT);
    }

    private static String compact(String spacedKey) {
        return spacedKey.replace(" ", "");
    }

    private static Map<String, Province> indexByNameKey() {
        Map<String, Province> index = new HashMap<>();
        for (Province province : ALL) {
            Stream.concat(Stream.of(province.slug(), province.name()), province.formerNames().stream())
                    .map(name -> compact(spacedKey(name)))
                    .forEach(key -> {
                        Province previous = index.put(key, province);
                        if (previous != null && previous != province) {
                            throw new IllegalStateException("Name " + key + " is in " + previous.slug()
                                    + " and " + province.slug());
                        }
                    });
        }
        COLLOQUIAL.forEach((alias, slug) -> index.put(alias, bySlug(slug).orElseThrow()));
        DISSOLVED.forEach((name, slug) -> index.put(compact(spacedKey(name)), bySlug(slug).orElseThrow()));
        return Map.copyOf(index);
    }

    private static List<Province> load() {
        var in = Provinces.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " is missing from the classpath");
        }
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().skip(1).filter(line -> !line.isBlank()).map(Provinces::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** slug,name,kind,former_provinces_merged_2025,former_landline_area_codes; lists are ";"-separated. */
    private static Province parse(String line) {
        String[] columns = line.split(",", -1);
        return new Province(columns[0], columns[1], Province.Kind.valueOf(columns[2].toUpperCase(Locale.ROOT)),
                Arrays.asList(columns[3].split(";")), Arrays.asList(columns[4].split(";")));
    }
}
