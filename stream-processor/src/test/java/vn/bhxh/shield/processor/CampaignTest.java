package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.lookup.IndicatorEvidence.ReportEvidence;

class CampaignTest {

    private static final Instant T0 = Instant.parse("2026-11-20T02:00:00Z");

    @Test
    void countsTheReportsNamingBothAndTheEarliestOfThemMostReportsFirst() {
        List<Campaign.Link> links = Campaign.links(List.of(
                report(T0.plusSeconds(60), "domain:bhxh-ho-tro.com", "tel:+84994311220"),
                report(T0, "tel:+84994311220"),
                report(T0.plusSeconds(120), "domain:bhxh-ho-tro.com", "tel:+84994311220"),
                report(T0.plusSeconds(30), "social:zalo:+84936417600")), key -> false, 20);

        assertThat(links).containsExactly(
                new Campaign.Link("tel:+84994311220", 3, T0),
                new Campaign.Link("domain:bhxh-ho-tro.com", 2, T0.plusSeconds(60)),
                new Campaign.Link("social:zalo:+84936417600", 1, T0.plusSeconds(30)));
    }

    @Test
    void equalCountsGoLongestStandingFirstAndTheCapKeepsTheStrongest() {
        List<ReportEvidence> reports = List.of(
                report(T0.plusSeconds(10), "tel:+84900000003"),
                report(T0.plusSeconds(5), "tel:+84900000002"),
                report(T0.plusSeconds(5), "tel:+84900000001"),
                report(T0.plusSeconds(20), "tel:+84900000004", "tel:+84900000003"));

        assertThat(Campaign.links(reports, key -> false, 2)).extracting(Campaign.Link::indicator)
                .containsExactly("tel:+84900000003", "tel:+84900000001");
        assertThat(Campaign.links(reports, key -> false, 0)).isEmpty();
    }

    @Test
    void anOfficialChannelIsNeverLinkedHoweverOftenItIsNamedAndDoesNotTakeASlotOfTheCap() {
        Set<String> official = Set.of("tel:+8419009068");
        List<ReportEvidence> reports = List.of(
                report(T0, "tel:+8419009068", "tel:+84994311220"),
                report(T0.plusSeconds(1), "tel:+8419009068", "domain:bhxh-ho-tro.com"),
                report(T0.plusSeconds(2), "tel:+8419009068"));

        assertThat(Campaign.links(reports, official::contains, 2)).extracting(Campaign.Link::indicator)
                .containsExactly("tel:+84994311220", "domain:bhxh-ho-tro.com");
    }

    @Test
    void theEventTimeIsWhenTheContactHappenedNeverAfterIngestReceivedIt() {
        ReportEvidence future = new ReportEvidence("r", T0.plusSeconds(3600), T0, null, "HOTLINE", null, List.of(),
                0, null, "operator-7", "p", List.of("tel:+84994311220"));
        assertThat(Campaign.links(List.of(future), key -> false, 20)).extracting(Campaign.Link::since)
                .containsExactly(T0);
        assertThat(Campaign.links(List.of(report(T0.minusSeconds(60), "tel:+84994311220")), key -> false, 20))
                .extracting(Campaign.Link::since).containsExactly(T0.minusSeconds(60));
    }

    /** A report that happened at {@code at} (received a minute later) and named these besides the indicator. */
    private static ReportEvidence report(Instant at, String... others) {
        return new ReportEvidence("r-" + at.toEpochMilli(), at, at.plusSeconds(60), "thanh-hoa", "HOTLINE", "CALL",
                List.of("OTP"), 0, null, "operator-7", "citizen", List.of(others));
    }
}
