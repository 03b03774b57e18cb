package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.sink.BlocklistView.Version;

/** The pure parts of the partners' formats: ids, serials, patterns and the zone's lines. */
class PartnerFormatsTest {

    @Test
    void idsAreRfc9562Version5() {
        // The RFC's and Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
        assertThat(StixBundle.uuid5(UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org"))
                .isEqualTo(UUID.fromString("886313e1-3b8a-5372-9b90-0c9aee199e5d"));
    }

    @Test
    void theSerialIsTheSumOfTheOffsetsInThirtyTwoBits() {
        assertThat(ResponsePolicyZone.serial(new Version(new long[] {12, 0, 7, 3}))).isEqualTo(22);
        assertThat(ResponsePolicyZone.serial(new Version(new long[] {0xFFFF_FFFFL, 5}))).isEqualTo(4);
    }

    @Test
    void onlyDomainsBecomeRulesForTheDomainAndEveryNameUnderIt() {
        String zone = ResponsePolicyZone.zone(new Version(new long[] {3, 4}), List.of(
                listing("domain:lua-dao.vn"), listing("url:https://sites.google.com/view/bhxh"),
                listing("tel:+84994311201")));
        assertThat(zone).contains("$TTL 300\n", "( 7 300 60 604800 300 )", "\nlua-dao.vn CNAME .\n",
                "\n*.lua-dao.vn CNAME .\n").doesNotContain("google", "+84");
    }

    @Test
    void patternsNameTheStixObjectOrACustomOneAndEscapeQuotes() {
        assertThat(StixBundle.pattern(listing("domain:lua-dao.vn"))).isEqualTo("[domain-name:value = 'lua-dao.vn']");
        assertThat(StixBundle.pattern(listing("tel:+84994311201"))).isEqualTo("[x-bhxh-phone:value = '+84994311201']");
        assertThat(StixBundle.pattern(listing("url:https://lua-dao.vn/a'b")))
                .isEqualTo("[url:value = 'https://lua-dao.vn/a\\'b']");
    }

    private static BlocklistEntry listing(String key) {
        Instant at = Instant.parse("2026-11-01T08:00:00Z");
        return BlocklistEntry.newBuilder().setIndicator(key).setKind(Indicator.parseKey(key).orElseThrow().kind())
                .setStatus(BlocklistStatus.LISTED).setReason("").setDistinctReporters(5).setWeightedReporters(5)
                .setReportCount(5).setFirstSeen(at).setLastSeen(at).setListedAt(at).build();
    }
}
