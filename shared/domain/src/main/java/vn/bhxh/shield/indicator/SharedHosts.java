package vn.bhxh.shield.indicator;

import com.google.common.net.InternetDomainName;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import vn.bhxh.shield.indicator.SharedPlatformList.Entry;

/**
 * Registrable domains many unrelated people publish under. Listing one of them as a domain would block every
 * user of the platform, so their pages are listed by URL instead. The platforms are data, in
 * {@link SharedPlatformList} (docs/shared-platforms.md); hosts under a private public suffix (github.io,
 * blogspot.com, web.app, ...) are shared the same way and recognised from the public suffix list.
 */
final class SharedHosts {

    /** Read once, when the class initialises: a missing or malformed file fails it with the bad line named. */
    private static final Map<String, String> CATEGORY_OF_DOMAIN = SharedPlatformList.load().entries().stream()
            .collect(Collectors.toUnmodifiableMap(Entry::domain, Entry::category));
    /** Platforms that give each user a subdomain of their own (bhxh-vn.duckdns.org): its root is a user's site. */
    private static final Set<String> SUBDOMAIN_PER_USER = Set.of("hosting", "site-builder", "tunnel", "dynamic-dns");

    private SharedHosts() {
    }

    /** Whether the host's registrable domain is one of the well-known shared platforms. */
    static boolean isSharedPlatform(InternetDomainName host) {
        return host.isUnderRegistrySuffix()
                && CATEGORY_OF_DOMAIN.containsKey(host.topDomainUnderRegistrySuffix().toString());
    }

    /**
     * Whether the root page of this host is the platform's own front page (www.facebook.com, drive.google.com),
     * which is never an indicator, rather than the site of one of its users (bhxh.blogspot.com,
     * bhxh-vn.duckdns.org).
     */
    static boolean isPlatformFront(InternetDomainName host) {
        if (!isSharedPlatform(host) || isUnderPrivateSuffix(host)) {
            return false;
        }
        InternetDomainName domain = host.topDomainUnderRegistrySuffix();
        boolean usersSubdomain = SUBDOMAIN_PER_USER.contains(CATEGORY_OF_DOMAIN.get(domain.toString()))
                && !host.equals(domain) && !host.equals(domain.child("www"));
        return !usersSubdomain;
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
