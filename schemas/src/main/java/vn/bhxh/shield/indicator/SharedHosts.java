package vn.bhxh.shield.indicator;

import com.google.common.net.InternetDomainName;
import java.util.Set;

/**
 * Registrable domains many unrelated people publish under. Listing one of them as a domain would block every
 * user of the platform, so their pages are listed by URL instead. Hosts under a private public suffix
 * (github.io, blogspot.com, web.app, ...) are shared the same way and recognised from the public suffix list.
 */
final class SharedHosts {

    private static final Set<String> SHARED_DOMAINS = Set.of(
            "facebook.com", "fb.com", "fb.me", "tiktok.com", "zalo.me", "youtube.com", "youtu.be",
            "t.me", "telegram.me", "instagram.com", "x.com", "twitter.com", "google.com", "forms.gle",
            // URL shorteners: the scammer owns the short link, not the shortener.
            "bit.ly", "tinyurl.com", "t.co", "goo.gl", "is.gd", "cutt.ly", "rebrand.ly", "s.id", "shorturl.at",
            "ow.ly", "tiny.cc", "rb.gy");

    private SharedHosts() {
    }

    /** Whether the host's registrable domain is one of the well-known shared platforms. */
    static boolean isSharedPlatform(InternetDomainName host) {
        return host.isUnderRegistrySuffix() && SHARED_DOMAINS.contains(host.topDomainUnderRegistrySuffix().toString());
    }

    /**
     * Whether the host sits under a suffix from the PRIVATE section of the public suffix list: there the
     * public suffix (github.io) is longer than the ICANN registry suffix (io).
     */
    static boolean isUnderPrivateSuffix(InternetDomainName host) {
        return host.hasPublicSuffix() && host.hasRegistrySuffix()
                && !host.publicSuffix().equals(host.registrySuffix());
    }
}
