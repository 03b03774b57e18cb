package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import vn.bhxh.shield.sink.ProcessorLookup.IndicatorFacts;

class ProcessorLookupTest {

    @Test
    void theReportingProvincesAreThoseOfEveryWindowAndAnyTopLevelList() throws Exception {
        IndicatorFacts facts = IndicatorFacts.of(SinkJson.MAPPER.readTree("""
                {"indicator": "tel:+84904038115", "status": "LISTED", "provinces": ["hue"],
                 "last24h": {"provinces": ["thanh-hoa"]}, "last7d": {"provinces": ["thanh-hoa", "ha-noi"]}}"""));
        assertThat(facts.provinces()).containsExactlyInAnyOrder("hue", "thanh-hoa", "ha-noi");
        assertThat(facts.policeConfirmed()).isFalse();
    }

    @Test
    void aListingIsPoliceConfirmedByItsStatusOrItsReasonCode() throws Exception {
        assertThat(IndicatorFacts.of(SinkJson.MAPPER.readTree("{\"status\": \"CONFIRMED\"}")).policeConfirmed())
                .isTrue();
        assertThat(IndicatorFacts.of(SinkJson.MAPPER.readTree(
                "{\"status\": \"LISTED\", \"reasonCode\": \"POLICE_CONFIRMED\"}")).policeConfirmed()).isTrue();
        assertThat(IndicatorFacts.of(SinkJson.MAPPER.readTree(
                "{\"status\": \"LISTED\", \"reasonCode\": \"OFFICER_CONFIRMED\"}")).policeConfirmed()).isFalse();
        assertThat(IndicatorFacts.of(SinkJson.MAPPER.readTree("{\"status\": \"NOT_LISTED\"}")).provinces()).isEmpty();
    }

    @Test
    void theLinkedIndicatorsAreTheCampaignInTheProcessorsOrder() throws Exception {
        IndicatorFacts facts = IndicatorFacts.of(SinkJson.MAPPER.readTree("""
                {"indicator": "tel:+84904038115", "status": "LISTED", "linked": [
                  {"indicator": "tel:+84912345678", "display": "0912 345 678", "reports": 5, "since": "2026-12-02T01:00:00Z"},
                  {"indicator": "domain:bhxh-vn.com", "display": "bhxh-vn.com", "reports": 2, "since": "2026-12-03T01:00:00Z"}]}"""));
        assertThat(facts.linked()).containsExactly("tel:+84912345678", "domain:bhxh-vn.com");
        assertThat(IndicatorFacts.of(SinkJson.MAPPER.readTree("{\"status\": \"NOT_LISTED\"}")).linked()).isEmpty();
    }
}
