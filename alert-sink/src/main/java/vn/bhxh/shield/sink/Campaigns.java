package vn.bhxh.shield.sink;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import vn.bhxh.shield.decision.DecisionAuthority;
import vn.bhxh.shield.decision.DecisionAuthority.Refusal;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.sink.ProcessorLookup.IndicatorFacts;

/**
 * A campaign decided in one decision: an indicator and the ones named together with it in reports (its
 * {@code linked}, as the processor's lookup gives them), confirmed or delisted by one officer with one reason. Pure:
 * which indicators the campaign holds, whether the officer may decide every one of them, and the decisions to write.
 *
 * <p>Authority is all or nothing: when the officer may not decide one of the chosen indicators, nothing is written
 * and the refusal names each such indicator, so the officer leaves them out (an explicit list) and sends again. A
 * campaign half decided without the officer knowing which half would be worse than none.
 */
final class Campaigns {

    /** Listing and lifting a listing are what a whole campaign needs; the rest concerns one indicator at a time. */
    static final Set<DecisionAction> ACTIONS = Set.of(DecisionAction.CONFIRM, DecisionAction.DELIST);

    private Campaigns() {
    }

    /**
     * The indicators the decision covers, the campaign's own first: every linked one, or those {@code chosen} (which
     * must all be linked: an officer decides a campaign as the processor links it, not any list of numbers).
     *
     * @throws SinkProblem 400 naming the chosen indicators that are not linked to it
     */
    static List<String> members(String campaignOf, List<String> linked, Optional<List<String>> chosen) {
        Set<String> members = new LinkedHashSet<>();
        members.add(campaignOf);
        if (chosen.isEmpty()) {
            members.addAll(linked);
            return List.copyOf(members);
        }
        List<String> strangers = chosen.get().stream()
                .filter(key -> !key.equals(campaignOf) && !linked.contains(key)).distinct().toList();
        if (!strangers.isEmpty()) {
            throw new SinkProblem(400, "NOT_LINKED", "Không thuộc cùng chiến dịch với " + SinkJson.display(campaignOf)
                    + ": " + displays(strangers) + ". Chỉ chọn trong các chỉ báo liên quan.");
        }
        members.addAll(chosen.get());
        return List.copyOf(members);
    }

    /**
     * Why the office may not decide each indicator it may not, in the campaign's order; empty when it may decide them
     * all. A national account ({@code province} null) may decide any indicator.
     */
    static Map<String, Refusal> refusals(DecisionAction action, String province, Map<String, IndicatorFacts> facts) {
        Map<String, Refusal> refused = new LinkedHashMap<>();
        facts.forEach((indicator, known) -> DecisionAuthority.checkAgainst(action, province, known.provinces(),
                known.policeConfirmed()).ifPresent(refusal -> refused.put(indicator, refusal)));
        return refused;
    }

    /** The 403 refusing the whole campaign: which indicators, why, and what to do. */
    static SinkProblem outsideAuthority(Map<String, Refusal> refused) {
        String which = refused.entrySet().stream()
                .map(entry -> SinkJson.display(entry.getKey()) + " (" + entry.getValue().messageVi() + ")")
                .collect(Collectors.joining("; "));
        return new SinkProblem(403, "CAMPAIGN_OUTSIDE_AUTHORITY", "Chưa ghi quyết định nào cho chiến dịch: bạn không"
                + " có quyền quyết định về " + which + " Hãy bỏ chọn các chỉ báo này rồi gửi lại.");
    }

    /**
     * One decision per member, sharing actor, office, reason, time and {@code campaignOf}; the alert the officer
     * answered goes only with the campaign's own indicator, whose alert it is.
     */
    static List<Decision> decisions(List<String> members, DecisionAction action, String actor, String province,
                                    String reason, String alertId, Instant decidedAt) {
        String campaignOf = members.get(0);
        List<Decision> decisions = new ArrayList<>();
        for (String indicator : members) {
            decisions.add(Decision.newBuilder()
                    .setDecisionId(UUID.randomUUID().toString())
                    .setAction(action)
                    .setIndicator(indicator)
                    .setAlertId(indicator.equals(campaignOf) ? alertId : null)
                    .setActor(actor)
                    .setProvince(province)
                    .setReason(reason)
                    .setDecidedAt(decidedAt)
                    .setCampaignOf(campaignOf)
                    .build());
        }
        return decisions;
    }

    private static String displays(List<String> keys) {
        return keys.stream().map(SinkJson::display).collect(Collectors.joining(", "));
    }
}
