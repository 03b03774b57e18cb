package vn.bhxh.shield.indicator;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule that makes a link a social account: a link to a profile, page or channel IS the account, whatever
 * spelling it came in (fb.com/abc, m.facebook.com/abc/, profile.php?id=..., tiktok.com/@abc?lang=vi, t.me/abc), so
 * it gets the account's {@code social:} key, the same as "tiktok @abc" typed in the accounts field. A link to
 * anything on the profile (a post, a video, a group, a Telegram message) stays a {@code url:} of that page.
 * Works on the canonical page {@link LinkNormaliser} made, so host aliases, case and tracking are already gone.
 */
final class SocialProfiles {

    /** A page name, a profile.php id, a /people/Name/id profile, or a page name that ends in its id. */
    private static final Pattern FACEBOOK = Pattern.compile("https://www\\.facebook\\.com/"
            + "(?:profile\\.php\\?id=(?<id>\\d+)|people/[^/?]+/(?<peopleId>\\d+)|[^/?]*-(?<pageId>\\d{8,})"
            + "|(?<name>[a-z0-9.]+))");
    /** First path segments of facebook.com that are the site's own features, not a page or profile. */
    private static final Set<String> FACEBOOK_FEATURES = Set.of("groups", "pages", "watch", "reel", "reels", "share",
            "sharer", "photo", "photos", "videos", "events", "marketplace", "gaming", "hashtag", "login", "help",
            "policies", "privacy", "settings", "notifications", "messages", "friends", "search", "stories", "business",
            "ads", "dialog", "plugins", "media", "live", "fundraisers", "legal", "about", "bookmarks", "memories",
            "saved", "home", "story", "permalink", "l", "tr", "checkpoint", "recover", "reg", "people", "profile",
            "public", "places", "jobs", "news", "feeds", "me");
    private static final Pattern TIKTOK = Pattern.compile("https://www\\.tiktok\\.com/(?<handle>@[a-z0-9._]+)");
    private static final Pattern TELEGRAM = Pattern.compile("https://t\\.me/(?<name>[a-z0-9_]{4,})");
    /** t.me paths that are Telegram's own features, not a user name. */
    private static final Set<String> TELEGRAM_FEATURES = Set.of("joinchat", "addstickers", "addemoji", "addtheme",
            "share", "proxy", "socks", "setlanguage", "invoice", "boost", "contact", "confirmphone", "login");
    /** zalo.me/<phone number> opens that number's Zalo account, zalo.me/<id> an Official Account. */
    private static final Pattern ZALO = Pattern.compile("https://zalo\\.me/(?<number>\\d+)");

    private SocialProfiles() {
    }

    /** The account a canonical page link is the profile of, or empty when it is not a profile. */
    static Optional<Indicator> account(String canonicalPage, PhoneNormaliser phones) {
        Matcher facebook = FACEBOOK.matcher(canonicalPage);
        if (facebook.matches()) {
            return facebookAccount(facebook);
        }
        Matcher tiktok = TIKTOK.matcher(canonicalPage);
        if (tiktok.matches()) {
            return Optional.of(Indicator.socialAccount(SocialNetwork.TIKTOK, tiktok.group("handle")));
        }
        Matcher telegram = TELEGRAM.matcher(canonicalPage);
        if (telegram.matches() && !TELEGRAM_FEATURES.contains(telegram.group("name"))) {
            return Optional.of(Indicator.socialAccount(SocialNetwork.TELEGRAM, "@" + telegram.group("name")));
        }
        Matcher zalo = ZALO.matcher(canonicalPage);
        if (zalo.matches()) {
            return zaloAccount(zalo.group("number"), phones);
        }
        return Optional.empty();
    }

    /** A Zalo account by its phone number (any spelling of it), else by an Official Account's numeric id. */
    static Optional<Indicator> zaloAccount(String number, PhoneNormaliser phones) {
        Optional<Indicator> phone = phones.normalise(number).accepted();
        if (phone.isPresent()) {
            return Optional.of(Indicator.socialAccount(SocialNetwork.ZALO, phone.get().value()));
        }
        String digits = number.replaceAll("\\D", "");
        return SocialNetwork.ZALO.isCanonicalAccount(digits)
                ? Optional.of(Indicator.socialAccount(SocialNetwork.ZALO, digits))
                : Optional.empty();
    }

    private static Optional<Indicator> facebookAccount(Matcher facebook) {
        for (String id : new String[] {"id", "peopleId", "pageId"}) {
            if (facebook.group(id) != null) {
                return Optional.of(Indicator.socialAccount(SocialNetwork.FACEBOOK, facebook.group(id)));
            }
        }
        String name = facebook.group("name");
        boolean feature = FACEBOOK_FEATURES.contains(name) || name.endsWith(".php") || name.matches("\\.*");
        return feature ? Optional.empty() : Optional.of(Indicator.socialAccount(SocialNetwork.FACEBOOK, name));
    }
}
