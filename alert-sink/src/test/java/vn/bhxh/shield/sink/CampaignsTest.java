package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.decision.DecisionAuthority.Refusal;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.sink.ProcessorLookup.IndicatorFacts;

/** Which indicators a campaign decision covers, the officer's authority over all of them, and what is written. */
class CampaignsTest {

    private static final String HEAD = "tel:+84904038115";
    private static final String MOBILE = "tel:+84912345678";
    private static final String SITE = "domain:bhxh-vn.com";

    @Test
    void aWholeCampaignIsTheIndicatorThenEveryLinkedOne() {
        assertThat(Campaigns.members(HEAD, List.of(MOBILE, SITE), Optional.empty()))
                .containsExactly(HEAD, MOBILE, SITE);
        assertThat(Campaigns.members(HEAD, List.of(), Optional.empty())).containsExactly(HEAD);
    }

    @Test
    void theOfficerMayChooseAmongTheLinkedOnesButNothingElse() {
        assertThat(Campaigns.members(HEAD, List.of(MOBILE, SITE), Optional.of(List.of(SITE, HEAD, SITE))))
                .containsExactly(HEAD, SITE);
        assertThatThrownBy(() -> Campaigns.members(HEAD, List.of(MOBILE), Optional.of(List.of(MOBILE, SITE))))
                .isInstanceOfSatisfying(SinkProblem.class, problem -> {
                    assertThat(problem.status()).isEqualTo(400);
                    assertThat(problem.code()).isEqualTo("NOT_LINKED");
                    assertThat(problem.getMessage()).contains("bhxh-vn.com", "0904 038 115")
                            .doesNotContain("0912 345 678");
                });
    }

    @Test
    void aProvinceOfficeMustHaveAuthorityOverEveryIndicatorOfTheCampaign() {
        Map<String, IndicatorFacts> facts = new LinkedHashMap<>();
        facts.put(HEAD, facts(Set.of("thanh-hoa"), false));
        facts.put(MOBILE, facts(Set.of("ha-noi"), false));
        facts.put(SITE, facts(Set.of("thanh-hoa"), true));

        assertThat(Campaigns.refusals(DecisionAction.CONFIRM, "thanh-hoa", facts))
                .containsExactly(Map.entry(MOBILE, Refusal.NOT_REPORTED_IN_PROVINCE));
        assertThat(Campaigns.refusals(DecisionAction.DELIST, "thanh-hoa", facts)).containsExactly(
                Map.entry(MOBILE, Refusal.NOT_REPORTED_IN_PROVINCE), Map.entry(SITE, Refusal.POLICE_CONFIRMED));
        assertThat(Campaigns.refusals(DecisionAction.DELIST, null, facts)).as("a national account").isEmpty();
        assertThat(Campaigns.refusals(DecisionAction.CONFIRM, "thanh-hoa", Map.of(HEAD, facts.get(HEAD)))).isEmpty();
    }

    @Test
    void theRefusalNamesEachIndicatorOutsideTheOfficersAuthorityAndWhy() {
        SinkProblem refused = Campaigns.outsideAuthority(Map.of(MOBILE, Refusal.NOT_REPORTED_IN_PROVINCE));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("CAMPAIGN_OUTSIDE_AUTHORITY");
        assertThat(refused.getMessage()).contains("Chưa ghi quyết định nào", "0912 345 678",
                Refusal.NOT_REPORTED_IN_PROVINCE.messageVi(), "bỏ chọn");
    }

    @Test
    void oneDecisionPerIndicatorSharingActorReasonTimeAndCampaign() {
        Instant now = Instant.parse("2026-12-05T03:00:00Z");
        List<Decision> decisions = Campaigns.decisions(List.of(HEAD, MOBILE, SITE), DecisionAction.CONFIRM,
                "thanhhoa1", "thanh-hoa", "Cùng một kịch bản, 3 người dân xác nhận", "alert-7", now);

        assertThat(decisions).extracting(Decision::getIndicator).containsExactly(HEAD, MOBILE, SITE);
        assertThat(decisions).allSatisfy(decision -> {
            assertThat(decision.getCampaignOf()).isEqualTo(HEAD);
            assertThat(decision.getAction()).isEqualTo(DecisionAction.CONFIRM);
            assertThat(decision.getActor()).isEqualTo("thanhhoa1");
            assertThat(decision.getProvince()).isEqualTo("thanh-hoa");
            assertThat(decision.getReason()).isEqualTo("Cùng một kịch bản, 3 người dân xác nhận");
            assertThat(decision.getDecidedAt()).isEqualTo(now);
        });
        assertThat(decisions).extracting(Decision::getAlertId).containsExactly("alert-7", null, null);
        assertThat(decisions).extracting(Decision::getDecisionId).doesNotHaveDuplicates();
    }

    private static IndicatorFacts facts(Set<String> provinces, boolean policeConfirmed) {
        return new IndicatorFacts("LISTED", provinces, policeConfirmed, List.of());
    }
}
