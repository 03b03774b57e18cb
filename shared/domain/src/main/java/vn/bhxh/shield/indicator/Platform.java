package vn.bhxh.shield.indicator;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Shared platforms whose many host spellings redirect to one canonical host, so a page gets one key however it
 * was linked. Hosts listed here are the ones the platform itself redirects; other subdomains of a shared
 * domain (vm.tiktok.com short links, sites.google.com, ...) keep their host because they serve other content.
 */
enum Platform {
    /** Page names are case-insensitive; profile.php pages are identified by {@code id}. */
    FACEBOOK("www.facebook.com", true, Set.of("id"),
            "facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com", "mbasic.facebook.com",
            "touch.facebook.com", "fb.com", "www.fb.com"),
    /** Handles are case-insensitive; vm./vt. short-link codes are not, so those hosts are not listed here. */
    TIKTOK("www.tiktok.com", true, Set.of(), "tiktok.com", "www.tiktok.com", "m.tiktok.com"),
    /** Video ids are case-sensitive and live in {@code v}. */
    YOUTUBE("www.youtube.com", false, Set.of("v", "list"), "youtube.com", "www.youtube.com", "m.youtube.com"),
    /** Usernames are case-insensitive (invite links are not: see {@link #lowerCasePath}). */
    TELEGRAM("t.me", true, Set.of(), "t.me", "www.t.me", "telegram.me", "www.telegram.me"),
    INSTAGRAM("www.instagram.com", false, Set.of(), "instagram.com", "www.instagram.com", "m.instagram.com"),
    /** zalo.me/<number> and zalo.me/g/<code>: group codes are case-sensitive. */
    ZALO("zalo.me", false, Set.of(), "zalo.me", "www.zalo.me"),
    X("x.com", false, Set.of(),
            "x.com", "www.x.com", "mobile.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com");

    private final String canonicalHost;
    private final boolean caseInsensitivePath;
    private final Set<String> significantParameters;
    private final Set<String> hosts;

    Platform(String canonicalHost, boolean caseInsensitivePath, Set<String> significantParameters,
            String... hosts) {
        this.canonicalHost = canonicalHost;
        this.caseInsensitivePath = caseInsensitivePath;
        this.significantParameters = significantParameters;
        this.hosts = Set.of(hosts);
    }

    static Optional<Platform> ofHost(String host) {
        return Arrays.stream(values()).filter(platform -> platform.hosts.contains(host)).findFirst();
    }

    String canonicalHost() {
        return canonicalHost;
    }

    boolean keepsParameter(String name) {
        return significantParameters.contains(name);
    }

    /** Telegram invite links ({@code /+AbC}, {@code /joinchat/AbC}) carry case-sensitive codes. */
    String canonicalPath(String path) {
        boolean inviteLink = this == TELEGRAM && (path.startsWith("/+") || path.startsWith("/joinchat/"));
        return caseInsensitivePath && !inviteLink ? path.toLowerCase(java.util.Locale.ROOT) : path;
    }
}
