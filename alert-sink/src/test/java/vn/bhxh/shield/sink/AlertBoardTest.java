package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;

/** What the boards show of review items and decisions, without Kafka or open dashboards. */
class AlertBoardTest {

    private static final String THANH_HOA_TOPIC = "bhxh.alerts.thanh-hoa.v1";
    private static final String NATIONAL_TOPIC = "bhxh.alerts.national.v1";
    private static final Instant RAISED = Instant.parse("2026-11-22T07:00:00Z");

    private final AlertBoard board = new AlertBoard(100, Duration.ofHours(24), 30, Clock.systemUTC());

    @Test
    void aProposalIsAReviewItemWithItsSubmittingAccountsAndWhenItIsOverdue() {
        board.add(THANH_HOA_TOPIC, proposal("p1"));

        Map<String, Object> item = board.recent("thanh-hoa").get(0);
        assertThat(item).containsEntry("review", true).containsEntry("burstAccount", "operator-7")
                .containsEntry("submittingAccounts", Map.of("operator-7", 4))
                .containsEntry("overdueAt", RAISED.plus(Duration.ofHours(24))).containsEntry("decision", null);
        board.add(THANH_HOA_TOPIC, Alert.newBuilder(proposal("w1")).setLevel(AlertLevel.WARNING).build());
        assertThat(board.recent("thanh-hoa")).filteredOn(a -> a.get("alertId").equals("w1")).singleElement()
                .satisfies(warning -> assertThat(warning).doesNotContainKey("review").doesNotContainKey("burstAccount"));
    }

    @Test
    void aDecisionShowsOnEveryBoardHoldingTheIndicatorWhicheverWasReadFirst() {
        board.add(THANH_HOA_TOPIC, proposal("p1"));
        board.apply(decision(DecisionAction.CONFIRM, "thanh-hoa", RAISED.plusSeconds(600)));
        board.add(NATIONAL_TOPIC, proposal("p1")); // read after the decision, as a replay may

        for (String scope : List.of("thanh-hoa", "national")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> decided = (Map<String, Object>) board.recent(scope).get(0).get("decision");
            assertThat(decided).containsEntry("action", "CONFIRM").containsEntry("actor", "thanhhoa1")
                    .containsEntry("province", "thanh-hoa").containsEntry("reason", "đã xác minh");
        }
    }

    @Test
    void aDecisionAnswersOnlyAlertsRaisedBeforeItAndOnlyFromAProvinceThatReportedIt() {
        board.add(THANH_HOA_TOPIC, proposal("p1"));
        board.apply(decision(DecisionAction.REJECT, "thanh-hoa", RAISED.minusSeconds(60)));
        board.apply(decision(DecisionAction.CONFIRM, "ha-noi", RAISED.plusSeconds(60)));
        assertThat(board.recent("thanh-hoa").get(0).get("decision")).as("an earlier proposal's; another province's")
                .isNull();

        board.apply(decision(DecisionAction.ACKNOWLEDGE, "thanh-hoa", RAISED.plusSeconds(120)));
        assertThat(board.recent("thanh-hoa").get(0).get("decision")).as("an acknowledgement decides nothing").isNull();
    }

    private static Alert proposal(String alertId) {
        return Alert.newBuilder(WebhookDeliveryIT.alert(alertId, "thanh-hoa")).setLevel(AlertLevel.PROPOSED)
                .setRaisedAt(RAISED).setSubmittingAccounts(Map.of("operator-7", 4)).setBurstAccount("operator-7")
                .build();
    }

    private static Decision decision(DecisionAction action, String province, Instant at) {
        return Decision.newBuilder().setDecisionId("d-" + at).setAction(action).setIndicator("tel:+84904038115")
                .setAlertId("p1").setActor("thanhhoa1").setProvince(province).setReason("đã xác minh")
                .setDecidedAt(at).build();
    }
}
