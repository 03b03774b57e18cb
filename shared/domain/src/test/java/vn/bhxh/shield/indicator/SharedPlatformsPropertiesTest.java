package vn.bhxh.shield.indicator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import vn.bhxh.shield.indicator.Normalisation.Accepted;
import vn.bhxh.shield.schema.IndicatorKind;

/**
 * "A link to a big platform never lists its domain", however the link is written: any listed domain, any
 * subdomains, any path and query, with the spellings people and security feeds use (no scheme, http, upper case,
 * defanged dots, a trailing dot on the host).
 */
class SharedPlatformsPropertiesTest {

    private static final List<String> DOMAINS = SharedPlatformList.load().entries().stream()
            .map(SharedPlatformList.Entry::domain).toList();

    private final Normaliser normaliser = new Normaliser();

    @Property(tries = 3000)
    void aLinkOnAListedPlatformIsNeverADomainIndicator(@ForAll("linksOnListedPlatforms") String link) {
        Normalisation result = normaliser.link(link);

        // Rejected is fine (a platform's front page, a name that is itself a public suffix): it lists nothing. A
        // profile's link ("facebook.com/a", "t.me/name") is that account (SOCIAL_ACCOUNT), any other page its URL.
        if (result instanceof Accepted accepted) {
            assertThat(accepted.indicator().kind()).as(link + " -> " + accepted.indicator())
                    .isIn(IndicatorKind.URL, IndicatorKind.SOCIAL_ACCOUNT);
        }
        // ... but most such links are pages, or the generator would be testing nothing.
        Statistics.collect(result instanceof Accepted accepted ? accepted.indicator().kind() : "rejected");
        Statistics.coverage(coverage -> coverage.check(IndicatorKind.URL).percentage(p -> p > 60));
    }

    @Provide
    Arbitrary<String> linksOnListedPlatforms() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-')
                .ofMinLength(1).ofMaxLength(12)
                .filter(s -> !s.startsWith("-") && !s.endsWith("-"));
        Arbitrary<String> subdomains = label.list().ofMaxSize(3).map(labels -> String.join("", labels.stream()
                .map(l -> l + ".").toList()));
        Arbitrary<String> path = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('/', '-', '_', '.')
                .ofMaxLength(20).map(p -> p.isEmpty() ? "" : "/" + p);
        Arbitrary<String> query = Arbitraries.of("", "?id=1", "?utm_source=zalo", "?a=1&b=2#top");
        Arbitrary<String> scheme = Arbitraries.of("", "http://", "https://", "HTTPS://", "hxxps://", "hxxp[://]");
        Arbitrary<String> spelling = Arbitraries.of("plain", "defanged", "upper case", "trailing dot");
        return Combinators.combine(scheme, subdomains, Arbitraries.of(DOMAINS), spelling, path, query)
                .as((s, sub, domain, how, p, q) -> s + spelled(sub + domain, how) + p + q);
    }

    private static String spelled(String host, String how) {
        return switch (how) {
            case "defanged" -> host.replace(".", "[.]");
            case "upper case" -> host.toUpperCase(Locale.ROOT);
            case "trailing dot" -> host + ".";
            default -> host;
        };
    }
}
