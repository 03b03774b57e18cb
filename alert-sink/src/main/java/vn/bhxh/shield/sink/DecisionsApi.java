package vn.bhxh.shield.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.decision.DecisionAuthority;
import vn.bhxh.shield.decision.DecisionAuthority.Refusal;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.sink.DashboardUsers.Session;
import vn.bhxh.shield.sink.ProcessorLookup.IndicatorFacts;

/**
 * {@code POST /api/v1/decisions}: an officer's decision from the dashboard (confirm or reject a proposal, delist a
 * listing, allowlist an official channel or remove it), JSON {@code {indicator, action, reason, alertId?}}, written
 * as a {@link Decision} with the signed-in officer as actor and their office as province (null for a national
 * account), answered 202 only once Kafka acknowledged it. Authority is checked here ({@link DecisionAuthority}, with
 * the processor's facts for a province account) so the officer hears at once; the processor checks again.
 *
 * <p>With {@code "campaign"} ({@code true}, or a list chosen from the indicator's linked ones) a CONFIRM or DELIST
 * covers the indicator's campaign: one decision per indicator, sharing {@code campaignOf}, actor, reason and time,
 * written in one Kafka transaction, and refused whole when the officer may not decide one of them ({@link Campaigns}).
 */
final class DecisionsApi {

    static final String PATH = "/api/v1/decisions";
    private static final int MAX_ALERT_ID_LENGTH = 200;
    /** Longer than any phone number, bank account or page link people report. */
    static final int MAX_INDICATOR_LENGTH = 2_048;
    /** More than the processor links to one indicator; bounds the lookups one request makes. */
    static final int MAX_CAMPAIGN = 50;
    private static final Logger log = LoggerFactory.getLogger(DecisionsApi.class);

    private final DashboardUsers users;
    private final ProcessorLookup lookup;
    private final Producer<String, Decision> producer;
    private final String decisionsTopic;
    private final CampaignWriter campaigns;
    private static final Normaliser NORMALISER = new Normaliser();

    DecisionsApi(DashboardUsers users, ProcessorLookup lookup, Producer<String, Decision> producer,
                 String decisionsTopic, CampaignWriter campaigns) {
        this.users = users;
        this.campaigns = campaigns;
        this.lookup = lookup;
        this.producer = producer;
        this.decisionsTopic = decisionsTopic;
    }

    void register(JavalinConfig config) {
        config.routes.post(PATH, ctx -> {
            try {
                decide(ctx);
            } catch (SinkProblem problem) {
                problem.render(ctx);
            }
        });
    }

    private void decide(Context ctx) throws InterruptedException {
        String cookie = ctx.cookie(Dashboard.SESSION_COOKIE);
        Session session = users.session(cookie).orElseThrow(SinkProblem::unauthorized);
        // The CSRF token is only in the page, so another site cannot make a signed-in browser send this.
        if (!users.csrfValid(cookie, ctx.header(Dashboard.CSRF_HEADER))) {
            throw SinkProblem.csrf();
        }
        JsonNode body = body(ctx);
        String province = session.user().scope().equals(Webhook.NATIONAL) ? null : session.user().scope();
        DecisionAction action = action(body.path("action").asText(""));
        String reason = body.path("reason").asText("");
        DecisionAuthority.checkRequest(action, province, reason).ifPresent(DecisionsApi::refuse);
        Indicator indicator = indicator(body.path("indicator").asText(""));
        if (body.hasNonNull("campaign") && !body.get("campaign").equals(BooleanNode.FALSE)) {
            decideCampaign(ctx, session, province, action, reason, indicator, body);
            return;
        }
        if (province != null) {
            IndicatorFacts facts = facts(indicator);
            DecisionAuthority.checkAgainst(action, province, facts.provinces(), facts.policeConfirmed())
                    .ifPresent(DecisionsApi::refuse);
        }
        Decision decision = Decision.newBuilder()
                .setDecisionId(UUID.randomUUID().toString())
                .setAction(action)
                .setIndicator(indicator.key())
                .setAlertId(alertId(body))
                .setActor(session.user().name())
                .setProvince(province)
                .setReason(reason.strip())
                .setDecidedAt(Instant.now())
                .build();
        try {
            producer.send(new ProducerRecord<>(decisionsTopic, decision.getIndicator(), decision)).get();
        } catch (ExecutionException e) {
            log.warn("decision {} not written: {}", decision.getDecisionId(), e.getCause().toString());
            throw new SinkProblem(503, "KAFKA_UNAVAILABLE", "Chưa ghi được quyết định, hãy thử lại sau ít giây.");
        }
        accepted(ctx, decision, Map.of());
    }

    /**
     * {@code "campaign": true} (the indicator and every indicator the processor links to it) or a list of linked
     * indicators the officer chose: checked against the officer's authority over each, all or nothing, then written
     * in one transaction ({@link CampaignWriter}).
     */
    private void decideCampaign(Context ctx, Session session, String province, DecisionAction action, String reason,
                                Indicator indicator, JsonNode body) throws InterruptedException {
        if (!Campaigns.ACTIONS.contains(action)) {
            throw new SinkProblem(400, "CAMPAIGN_ACTION", "Quyết định cả chiến dịch chỉ là Xác nhận chặn hoặc Gỡ khỏi"
                    + " danh sách chặn.");
        }
        String alertId = alertId(body);
        Optional<List<String>> chosen = chosen(body.get("campaign"));
        IndicatorFacts head = facts(indicator);
        List<String> members = Campaigns.members(indicator.key(), head.linked(), chosen);
        if (province != null) {
            Map<String, IndicatorFacts> facts = new LinkedHashMap<>();
            facts.put(indicator.key(), head);
            for (String member : members.subList(1, members.size())) {
                facts.put(member, facts(indicator(member)));
            }
            Map<String, Refusal> refused = Campaigns.refusals(action, province, facts);
            if (!refused.isEmpty()) {
                log.info("campaign decision of {} by {} refused: outside their authority for {}", indicator.key(),
                        session.user().name(), refused.keySet());
                throw Campaigns.outsideAuthority(refused);
            }
        }
        List<Decision> decisions = Campaigns.decisions(members, action, session.user().name(), province,
                reason.strip(), alertId, Instant.now());
        campaigns.write(decisions);
        log.info("campaign decision {} of {} by {}: {} indicators", action, indicator.key(), session.user().name(),
                decisions.size());
        accepted(ctx, decisions.get(0), Map.of("campaignOf", indicator.key(), "decisions", decisions.stream()
                .map(d -> Map.of("decisionId", d.getDecisionId(), "indicator", d.getIndicator())).toList()));
    }

    /** Empty for {@code true} (every linked indicator); the canonical keys of a list, in any spelling. */
    private static Optional<List<String>> chosen(JsonNode campaign) {
        if (campaign.isBoolean()) {
            return Optional.empty();
        }
        if (!campaign.isArray() || campaign.size() > MAX_CAMPAIGN) {
            throw new SinkProblem(400, "INVALID_CAMPAIGN", "Chiến dịch phải là true hoặc danh sách tối đa "
                    + MAX_CAMPAIGN + " chỉ báo liên quan.");
        }
        List<String> keys = new ArrayList<>();
        campaign.forEach(member -> keys.add(indicator(member.asText("")).key()));
        return Optional.of(keys);
    }

    private static void accepted(Context ctx, Decision decision, Map<String, Object> more) {
        Map<String, Object> answer = new LinkedHashMap<>(Map.of("decisionId", decision.getDecisionId(),
                "indicator", decision.getIndicator(), "action", decision.getAction().name()));
        answer.putAll(more);
        ctx.status(HttpStatus.ACCEPTED).contentType("application/json; charset=utf-8").result(SinkJson.write(answer));
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode body = SinkJson.MAPPER.readTree(ctx.body());
            if (body != null && body.isObject()) {
                return body;
            }
        } catch (IOException | RuntimeException unreadable) {
            // answered below: the client's mistake, whatever broke
        }
        throw new SinkProblem(400, "BODY_UNREADABLE",
                "Không đọc được nội dung gửi lên (cần JSON: indicator, action, reason).");
    }

    /** The alert the decision answers, if the page named one; an alert id is short (indicator, level, window). */
    private static String alertId(JsonNode body) {
        String alertId = Optional.ofNullable(body.get("alertId")).filter(JsonNode::isTextual).map(JsonNode::asText)
                .orElse(null);
        if (alertId != null && alertId.length() > MAX_ALERT_ID_LENGTH) {
            throw new SinkProblem(400, "INVALID_ALERT_ID", "Mã cảnh báo không hợp lệ.");
        }
        return alertId;
    }

    private static DecisionAction action(String name) {
        return DecisionAuthority.OFFICER_ACTIONS.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
    }

    /** What an officer typed or the page sent, as a canonical indicator; 400 with the reason when it is none. */
    static Indicator indicator(String typed) {
        // Before normalising: a megabyte of text takes seconds to refuse, and the refusal would quote it whole.
        if (typed.length() > MAX_INDICATOR_LENGTH) {
            throw new SinkProblem(400, "INVALID_INDICATOR", "Số điện thoại, tên miền hoặc đường dẫn quá dài (tối đa "
                    + MAX_INDICATOR_LENGTH + " ký tự).");
        }
        Normalisation normalised = NORMALISER.keyOrAny(typed);
        if (normalised instanceof Normalisation.Rejected rejected) {
            throw new SinkProblem(400, "INVALID_INDICATOR", rejected.messageVi());
        }
        return normalised.accepted().orElseThrow();
    }

    /** Whatever the processor cannot say, the decision is refused rather than guessed. */
    private IndicatorFacts facts(Indicator indicator) throws InterruptedException {
        try {
            return lookup.facts(indicator.key());
        } catch (ProcessorLookup.Unavailable e) {
            log.warn("no lookup for a decision on {}: {}", indicator.key(), e.getMessage());
            throw new SinkProblem(503, "LOOKUP_UNAVAILABLE", "Chưa kiểm tra được số/kênh này ở hệ thống xử lý, "
                    + "nên chưa ghi quyết định. Hãy thử lại sau ít phút.");
        }
    }

    private static void refuse(Refusal refusal) {
        throw new SinkProblem(refusal.authority() ? 403 : 400, refusal.name(), refusal.messageVi());
    }
}
