package vn.bhxh.shield.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.decision.DecisionAuthority.Refusal;
import vn.bhxh.shield.schema.DecisionAction;

class DecisionAuthorityTest {

    private static final String THANH_HOA = "thanh-hoa";

    @Test
    void anOfficerDecidesWithAReasonOfAtMost500Characters() {
        assertThat(DecisionAuthority.checkRequest(DecisionAction.CONFIRM, THANH_HOA, "đã xác minh")).isEmpty();
        assertThat(DecisionAuthority.checkRequest(DecisionAction.REJECT, null, "x".repeat(500))).isEmpty();
        assertThat(DecisionAuthority.checkRequest(DecisionAction.DELIST, THANH_HOA, null))
                .contains(Refusal.REASON_REQUIRED);
        assertThat(DecisionAuthority.checkRequest(DecisionAction.DELIST, THANH_HOA, " \n"))
                .contains(Refusal.REASON_REQUIRED);
        assertThat(DecisionAuthority.checkRequest(DecisionAction.DELIST, THANH_HOA, "x".repeat(501)))
                .contains(Refusal.REASON_REQUIRED);
        assertThat(Refusal.REASON_REQUIRED.authority()).as("a malformed decision, not a lack of right").isFalse();
    }

    @Test
    void onlyAnOfficersActionsAndTheAllowlistOnlyNationally() {
        for (DecisionAction notAnOfficers : List.of(DecisionAction.ACKNOWLEDGE, DecisionAction.KEEP,
                DecisionAction.UNKNOWN)) {
            assertThat(DecisionAuthority.checkRequest(notAnOfficers, null, "lý do"))
                    .contains(Refusal.NOT_AN_OFFICER_ACTION);
        }
        assertThat(DecisionAuthority.checkRequest(null, null, "lý do")).contains(Refusal.NOT_AN_OFFICER_ACTION);
        for (DecisionAction allowlist : List.of(DecisionAction.ALLOWLIST, DecisionAction.UNALLOWLIST)) {
            assertThat(DecisionAuthority.checkRequest(allowlist, THANH_HOA, "lý do")).contains(Refusal.NATIONAL_ONLY);
            assertThat(DecisionAuthority.checkRequest(allowlist, null, "lý do")).isEmpty();
        }
        assertThat(Refusal.NATIONAL_ONLY.authority()).isTrue();
    }

    @Test
    void aProvinceActsOnlyOnWhatItsCitizensReportedAndNeverLiftsAPoliceListing() {
        assertThat(DecisionAuthority.checkAgainst(DecisionAction.CONFIRM, THANH_HOA, List.of("ha-noi", THANH_HOA),
                false)).isEmpty();
        assertThat(DecisionAuthority.checkAgainst(DecisionAction.CONFIRM, THANH_HOA, List.of("ha-noi"), false))
                .contains(Refusal.NOT_REPORTED_IN_PROVINCE);
        assertThat(DecisionAuthority.checkAgainst(DecisionAction.REJECT, THANH_HOA, List.of(), false))
                .as("never reported").contains(Refusal.NOT_REPORTED_IN_PROVINCE);
        assertThat(DecisionAuthority.checkAgainst(DecisionAction.DELIST, THANH_HOA, List.of(THANH_HOA), true))
                .contains(Refusal.POLICE_CONFIRMED);
        assertThat(DecisionAuthority.checkAgainst(DecisionAction.DELIST, THANH_HOA, List.of(THANH_HOA), false))
                .isEmpty();
        assertThat(DecisionAuthority.checkAgainst(DecisionAction.DELIST, null, List.of(), true))
                .as("a national account").isEmpty();
    }
}
