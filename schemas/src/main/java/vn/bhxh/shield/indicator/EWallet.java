package vn.bhxh.shield.indicator;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * E-wallets scammers ask victims to pay into ({@code wallet:<code>:<E.164>}). A wallet is opened with a phone
 * number and people pay to it by that number ("MoMo 0904038115"), so the number is the account. The code is part
 * of the blocklist key, so it never changes.
 * <p>
 * {@code names} are folded spellings; a space inside a name matches a space, '.', '-' or nothing ("zalopay").
 */
public enum EWallet {
    MOMO("momo", "MoMo", List.of("momo")),
    ZALOPAY("zalopay", "ZaloPay", List.of("zalo pay")),
    VNPAY("vnpay", "VNPAY", List.of("vn pay")),
    SHOPEEPAY("shopeepay", "ShopeePay", List.of("shopee pay", "airpay")),
    VIETTEL_MONEY("viettelmoney", "Viettel Money", List.of("viettel money", "viettel pay")),
    VNPT_MONEY("vnptmoney", "VNPT Money", List.of("vnpt money", "vnpt pay"));

    private final String code;
    private final String displayName;
    private final List<String> names;

    EWallet(String code, String displayName, List<String> names) {
        this.code = code;
        this.displayName = displayName;
        this.names = names;
    }

    public String code() {
        return code;
    }

    public String displayName() {
        return displayName;
    }

    public static Optional<EWallet> byCode(String code) {
        return Arrays.stream(values()).filter(wallet -> wallet.code.equals(code)).findFirst();
    }

    /** A wallet named in diacritic-folded text ({@link VietnameseText#fold}), group "wallet". */
    static final Pattern MENTION = Pattern.compile("(?<![a-z0-9])(?<wallet>"
            + VietnameseText.nameAlternation(Arrays.stream(values()).flatMap(wallet -> wallet.names.stream()))
            + ")(?![a-z0-9])");

    /** The wallet named by a {@link #MENTION} match. */
    static EWallet of(Matcher mention) {
        String named = VietnameseText.compact(mention.group("wallet"));
        return Arrays.stream(values())
                .filter(wallet -> wallet.names.stream().anyMatch(name -> VietnameseText.compact(name).equals(named)))
                .findFirst()
                .orElseThrow();
    }
}
