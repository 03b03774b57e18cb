package vn.bhxh.shield.sink;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.IndicatorKind;
import vn.bhxh.shield.sink.BlocklistView.Version;

/**
 * The listed domains as a DNS Response Policy Zone (the RPZ draft, draft-vixie-dnsop-dns-rpz) that a telecom's
 * resolver (BIND {@code response-policy}, Unbound {@code rpz:}) loads as a zone: every name of a listed domain, and
 * every name under it, answers NXDOMAIN ({@code CNAME .}). Only DOMAIN indicators become rules: a DOMAIN is a
 * registrable domain wholly the scammer's, while a URL is one page, often on a shared platform whose other pages
 * must keep resolving. The zone's names are relative, so a resolver may load it under any zone name.
 */
final class ResponsePolicyZone {

    /** Seconds: how long a resolver may cache a policy answer, and the SOA timers a secondary would use. */
    static final int TTL = 300;

    private ResponsePolicyZone() {
    }

    /**
     * The SOA serial of a DOMAIN list's version: the sum of its offsets modulo 2^32. Every offset only grows, so
     * the serial grows whenever the list changes and never otherwise; a resolver compares serials in RFC 1982
     * arithmetic, which is right while fewer than 2^31 records are written between two of its transfers.
     */
    static long serial(Version version) {
        return Arrays.stream(version.offsets()).sum() & 0xFFFF_FFFFL;
    }

    static String zone(Version version, List<BlocklistEntry> entries) {
        List<String> domains = entries.stream()
                .filter(entry -> entry.getKind() == IndicatorKind.DOMAIN)
                .map(entry -> Indicator.parseKey(entry.getIndicator()))
                .flatMap(Optional::stream)
                .map(Indicator::value)
                .sorted()
                .toList();
        StringBuilder zone = new StringBuilder()
                .append("; BHXH Shield listed scam domains: ").append(domains.size())
                .append(", version ").append(version).append('\n')
                .append("$TTL ").append(TTL).append('\n')
                .append("@ IN SOA localhost. hostmaster.localhost. ( ").append(serial(version))
                .append(' ').append(TTL).append(' ').append(TTL / 5).append(" 604800 ").append(TTL).append(" )\n")
                .append("@ IN NS localhost.\n");
        for (String domain : domains) {
            zone.append(domain).append(" CNAME .\n");
            zone.append("*.").append(domain).append(" CNAME .\n");
        }
        return zone.toString();
    }
}
