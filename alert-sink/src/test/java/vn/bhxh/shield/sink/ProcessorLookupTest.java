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
}
