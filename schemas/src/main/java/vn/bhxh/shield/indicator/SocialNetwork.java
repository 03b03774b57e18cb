package vn.bhxh.shield.indicator;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The social networks whose accounts are indicators of their own ({@code social:<code>:<account>}): scammers
 * pose as BHXH on Facebook pages, TikTok channels, Telegram and Zalo, and the network, not a telecom, closes the
 * account. The code is part of the blocklist key, so it never changes.
 */
public enum SocialNetwork {
    /** A page or profile: its user name (case-insensitive, lower-cased) or its numeric id. */
    FACEBOOK("facebook", "Facebook", "[a-z0-9.]+"),
    /** A channel: its handle with the "@" TikTok shows, lower-cased. */
    TIKTOK("tiktok", "TikTok", "@[a-z0-9._]+"),
    /** A user, group or channel with a public user name (at least 4 characters), lower-cased, with "@". */
    TELEGRAM("telegram", "Telegram", "@[a-z0-9_]{4,}"),
    /** Zalo accounts are found by phone number (E.164) or, for an Official Account, by its numeric id. */
    ZALO("zalo", "Zalo", "\\+[1-9]\\d{5,14}|[1-9]\\d{11,19}");

    private final String code;
    private final String displayName;
    private final Pattern account;

    SocialNetwork(String code, String displayName, String account) {
        this.code = code;
        this.displayName = displayName;
        this.account = Pattern.compile(account);
    }

    public String code() {
        return code;
    }

    public String displayName() {
        return displayName;
    }

    /** Whether {@code account} is an account of this network in canonical form. */
    public boolean isCanonicalAccount(String account) {
        return this.account.matcher(account).matches();
    }

    public static Optional<SocialNetwork> byCode(String code) {
        return Arrays.stream(values()).filter(network -> network.code.equals(code)).findFirst();
    }
}
