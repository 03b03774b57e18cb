package vn.bhxh.shield.indicator;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import java.net.IDN;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import vn.bhxh.shield.indicator.Normalisation.Accepted;
import vn.bhxh.shield.indicator.Normalisation.Rejected;

/**
 * Links and bare domains to {@code domain:} keys (a registrable domain wholly the scammer's), {@code social:} keys
 * (a profile on a social network: {@link SocialProfiles}) or {@code url:} keys (another page on a shared platform,
 * or an IP address, where there is nothing registrable to list).
 * <p>
 * The link is split by hand rather than with {@link java.net.URI}: what people paste has Unicode hosts,
 * unescaped spaces and brackets that URI rejects, and we only need scheme, host, path and query.
 */
final class LinkNormaliser {

    /** Defanged dots and colons as security feeds and cautious users write them: [.] (.) {.} [dot] [:] [://]. */
    private static final Pattern DEFANGED_DOT = Pattern.compile("(?i)\\s*(?:\\[\\.]|\\(\\.\\)|\\{\\.}|[\\[({]dot[\\])}])\\s*");
    private static final Pattern DEFANGED_SCHEME = Pattern.compile("(?i)^h(?:xx|tt)p(s?)(?:\\[:]|\\[://]|:)");
    private static final Pattern SCHEME = Pattern.compile("(?i)^[a-z][a-z0-9+.-]*://");
    /** Links quoted in text: <https://...>, "...", (…). */
    private static final Pattern ENCLOSING = Pattern.compile("^[<\"'“(]+|[>\"'”)]+$");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /** Host, then optional :port, path, ?query and #fragment. */
    private static final Pattern AUTHORITY_AND_REST = Pattern.compile(
            "^(?:[^@/?#]*@)?(?<host>[^:/?#]+)(?::\\d*)?(?<path>/[^?#]*)?(?:\\?(?<query>[^#]*))?(?:#.*)?$");

    /** Reads the number of a zalo.me link. */
    private final PhoneNormaliser phones;

    LinkNormaliser(PhoneNormaliser phones) {
        this.phones = phones;
    }

    Normalisation normalise(String raw) {
        if (raw == null || raw.isBlank()) {
            return Rejected.of(raw, RejectReason.EMPTY);
        }
        String link = undoObfuscation(raw);
        Matcher parts = AUTHORITY_AND_REST.matcher(SCHEME.matcher(link).replaceFirst(""));
        if (!parts.matches()) {
            return Rejected.of(raw, RejectReason.NOT_A_LINK);
        }
        Optional<String> asciiHost = asciiHost(parts.group("host"));
        if (asciiHost.isEmpty()) {
            return Rejected.of(raw, RejectReason.INVALID_DOMAIN);
        }
        String host = asciiHost.get();
        String path = trimTrailingSlashes(parts.group("path"));
        String query = parts.group("query");
        if (InetAddresses.isInetAddress(host)) {
            return new Accepted(Indicator.url(page(host, path, query, TrackingParameters::isTracking)));
        }
        if (!host.contains(".") || !InternetDomainName.isValid(host)) {
            return Rejected.of(raw, host.contains(".") ? RejectReason.INVALID_DOMAIN : RejectReason.NOT_A_LINK);
        }
        var domain = InternetDomainName.from(host);
        if (!domain.isUnderPublicSuffix()) {
            return Rejected.of(raw, domain.isPublicSuffix() ? RejectReason.INVALID_DOMAIN : RejectReason.UNKNOWN_SUFFIX);
        }
        if (SharedHosts.isSharedPlatform(domain) || SharedHosts.isUnderPrivateSuffix(domain)) {
            return sharedPage(raw, host, path, query, SharedHosts.isPlatformFront(domain));
        }
        return new Accepted(Indicator.domain(domain.topPrivateDomain().toString()));
    }

    private Normalisation sharedPage(String raw, String host, String path, String query, boolean front) {
        Optional<Platform> known = Platform.ofHost(host);
        String canonicalHost = known.map(Platform::canonicalHost).orElse(host);
        String canonicalPath = known.map(p -> p.canonicalPath(path)).orElse(path);
        Predicate<String> dropped = known
                .<Predicate<String>>map(p -> name -> !p.keepsParameter(name))
                .orElse(TrackingParameters::isTracking);
        String page = page(canonicalHost, canonicalPath, query, dropped);
        if (front && page.equals("https://" + canonicalHost)) {
            return Rejected.of(raw, RejectReason.PLATFORM_ROOT, canonicalHost);
        }
        return new Accepted(SocialProfiles.account(page, phones).orElseGet(() -> Indicator.url(page)));
    }

    static String undoObfuscation(String raw) {
        String link = ENCLOSING.matcher(VietnameseText.compatibilityForm(raw).strip()).replaceAll("");
        link = DEFANGED_DOT.matcher(link).replaceAll(".");
        link = link.replace("[://]", "://").replace("[:]", ":");
        link = DEFANGED_SCHEME.matcher(link).replaceFirst("http$1:");
        // A single link never contains spaces: any left are " . " padding or stray spaces inside the host.
        link = WHITESPACE.matcher(link).replaceAll("");
        return link;
    }

    /** IDN to punycode, lower case, no trailing dot; empty if the host is not a valid domain name or address. */
    private static Optional<String> asciiHost(String host) {
        String withoutTrailingDot = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        try {
            return Optional.of(IDN.toASCII(withoutTrailingDot, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT))
                    .filter(ascii -> !ascii.isEmpty());
        } catch (IllegalArgumentException invalidLabel) {
            return Optional.empty();
        }
    }

    private static String trimTrailingSlashes(String path) {
        return path == null ? "" : path.replaceAll("/+$", "");
    }

    /** https, host, path, then the kept query parameters sorted so that their order does not change the key. */
    private static String page(String host, String path, String query, Predicate<String> droppedParameter) {
        String kept = query == null ? "" : Arrays.stream(query.split("&"))
                .filter(parameter -> !parameter.isEmpty())
                .filter(parameter -> !droppedParameter.test(parameterName(parameter)))
                .sorted()
                .collect(Collectors.joining("&"));
        return "https://" + host + path + (kept.isEmpty() ? "" : "?" + kept);
    }

    private static String parameterName(String parameter) {
        String name = parameter.split("=", 2)[0];
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return name;
        }
    }
}
