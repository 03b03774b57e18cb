package vn.bhxh.shield.indicator;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Vietnamese banks scammers ask victims to transfer to. The code is the bank's usual short name (its stock
 * ticker where it has one) and is part of the blocklist key, so never change an existing code.
 * <p>
 * {@code names} are folded brand names and codes that identify the bank on their own ("vietcombank", "vcb");
 * {@code vietnameseNames} are ordinary words ("quân đội", "quốc tế") that only name a bank after "ngân hàng" (or its abbreviation "NH").
 */
public enum Bank {
    VIETCOMBANK("vcb", "Vietcombank", List.of("vietcombank", "vcb"), List.of("ngoai thuong")),
    VIETINBANK("ctg", "VietinBank", List.of("vietinbank", "ctg"), List.of("cong thuong")),
    BIDV("bidv", "BIDV", List.of("bidv"), List.of("dau tu va phat trien")),
    AGRIBANK("vba", "Agribank", List.of("agribank", "vba"), List.of("nong nghiep")),
    TECHCOMBANK("tcb", "Techcombank", List.of("techcombank", "tcb"), List.of("ky thuong")),
    MB("mb", "MB Bank", List.of("mb bank", "mb"), List.of("quan doi")),
    ACB("acb", "ACB", List.of("acb"), List.of("a chau")),
    VPBANK("vpb", "VPBank", List.of("vp bank", "vpb"), List.of("viet nam thinh vuong")),
    SACOMBANK("stb", "Sacombank", List.of("sacombank", "stb"), List.of("sai gon thuong tin")),
    TPBANK("tpb", "TPBank", List.of("tp bank", "tpb"), List.of("tien phong")),
    VIB("vib", "VIB", List.of("vib"), List.of("quoc te")),
    SHB("shb", "SHB", List.of("shb"), List.of("sai gon ha noi")),
    HDBANK("hdb", "HDBank", List.of("hd bank", "hdb"), List.of("phat trien tp hcm")),
    OCB("ocb", "OCB", List.of("ocb"), List.of("phuong dong")),
    MSB("msb", "MSB", List.of("msb", "maritime bank"), List.of("hang hai")),
    SEABANK("ssb", "SeABank", List.of("sea bank", "ssb"), List.of("dong nam a")),
    EXIMBANK("eib", "Eximbank", List.of("exim bank", "eib"), List.of("xuat nhap khau")),
    LPBANK("lpb", "LPBank", List.of("lp bank", "lien viet post bank", "lpb"), List.of("loc phat", "lien viet")),
    NAM_A_BANK("nab", "Nam A Bank", List.of("nam a bank", "nab"), List.of("nam a")),
    SCB("scb", "SCB", List.of("scb"), List.of("sai gon"));

    private final String code;
    private final String displayName;
    private final List<String> names;
    private final List<String> vietnameseNames;

    Bank(String code, String displayName, List<String> names, List<String> vietnameseNames) {
        this.code = code;
        this.displayName = displayName;
        this.names = names;
        this.vietnameseNames = vietnameseNames;
    }

    public String code() {
        return code;
    }

    public String displayName() {
        return displayName;
    }

    public static Optional<Bank> byCode(String code) {
        return Arrays.stream(values()).filter(bank -> bank.code.equals(code)).findFirst();
    }

    /**
     * A bank mentioned in diacritic-folded text ({@link VietnameseText#fold}); group "name" is what named it.
     * Spaces inside a name are optional ("mbbank", "mb bank", "mb-bank"), and a brand may follow "ngân hàng".
     */
    static final Pattern MENTION = Pattern.compile(
            "(?<![a-z0-9])(?:(?:ngan hang|nh)[ .:]*)?(?<name>" + alternation(bank -> bank.names.stream()) + ")"
                    + "(?![a-z0-9])"
                    + "|(?<![a-z0-9])(?:ngan hang|nh) (?<vnname>" + alternation(bank -> bank.vietnameseNames.stream()) + ")"
                    + "(?![a-z0-9])");

    /** The bank named by a {@link #MENTION} match. */
    static Bank of(Matcher mention) {
        String named = compact(mention.group("name") != null ? mention.group("name") : mention.group("vnname"));
        return Arrays.stream(values())
                .filter(bank -> Stream.concat(bank.names.stream(), bank.vietnameseNames.stream())
                        .anyMatch(alias -> compact(alias).equals(named)))
                .findFirst()
                .orElseThrow();
    }

    private static String alternation(java.util.function.Function<Bank, Stream<String>> aliases) {
        return Arrays.stream(values())
                .flatMap(aliases)
                .sorted(Comparator.comparingInt(String::length).reversed())
                .map(alias -> Pattern.quote(alias).replace(" ", "\\E[ .-]?\\Q"))
                .collect(Collectors.joining("|"));
    }

    private static String compact(String alias) {
        return alias.replaceAll("[^a-z0-9]", "");
    }
}
