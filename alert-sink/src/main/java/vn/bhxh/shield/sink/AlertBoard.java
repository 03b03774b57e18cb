package vn.bhxh.shield.sink;

import io.javalin.config.JavalinConfig;
import io.javalin.http.sse.SseClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.decision.DecisionAuthority;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;

/**
 * What the dashboards show: the recent alerts of each scope (a province slug, or national for the national
 * topic), with whether the office acknowledged them, and the open dashboards (live streams) of each scope. An
 * alert reaches only the dashboards of the topic it was read from, so an office never sees another's alerts.
 *
 * <p>A proposal (PROPOSED, ESCALATED) is a review item, with its evidence, when it becomes overdue, and the officers'
 * decision on it once one is read back; a BLOCKED alert shows whether it was delisted since. A decision on an
 * indicator (confirm, reject, delist, allowlist) shows on every board holding an alert of it raised before, so the
 * boards of all its provinces and the national one see it live, whoever decided. Decisions are kept per indicator
 * too, because on replay a decision may be read before the alert it answers.
 */
final class AlertBoard {

    private static final Set<AlertLevel> REVIEW_ITEMS = Set.of(AlertLevel.PROPOSED, AlertLevel.ESCALATED);
    /** The national table: the provinces with the most indicators on their boards first, the rest in official order. */
    private static final Comparator<Map<String, Object>> BUSIEST_FIRST = Comparator.comparing(
            (Map<String, Object> row) -> (Integer) row.get("indicators")).reversed();

    private final int perScope;
    private final AlertTrend trend;
    private final Clock clock;
    private final Duration reviewOverdueAfter;
    private final Map<String, LinkedHashMap<String, Map<String, Object>>> alertsByScope = new ConcurrentHashMap<>();
    private final LiveStreams dashboards = new LiveStreams();
    /** Officers' decisions by indicator, for as many indicators as the boards can hold alerts of. */
    private final LinkedHashMap<String, List<Decision>> decisionsByIndicator;

    AlertBoard(int perScope, Duration reviewOverdueAfter, int trendDays, Clock clock) {
        this.clock = clock;
        this.perScope = perScope;
        this.reviewOverdueAfter = reviewOverdueAfter;
        this.trend = new AlertTrend(trendDays);
        int indicators = perScope * (Provinces.all().size() + 1);
        this.decisionsByIndicator = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<Decision>> eldest) {
                return size() > indicators;
            }
        };
    }

    /** A province's name, or "Toàn quốc" for the national scope. */
    static String provinceName(String slugOrNational) {
        return Provinces.bySlug(slugOrNational).map(Province::name)
                .orElse(slugOrNational.equals(Webhook.NATIONAL) ? "Toàn quốc" : slugOrNational);
    }

    /** The scope of an alert topic: {@code bhxh.alerts.thanh-hoa.v1} -> {@code thanh-hoa}. */
    static String scopeOf(String alertTopic) {
        return alertTopic.substring("bhxh.alerts.".length(), alertTopic.length() - ".v1".length());
    }

    void add(String alertTopic, Alert alert) {
        String scope = scopeOf(alertTopic);
        Map<String, Object> view = SinkJson.alert(alert);
        // Officers read "Thanh Hóa", not the slug in topic names.
        view.put("provinceNames", alert.getProvinces().stream().map(AlertBoard::provinceName).toList());
        view.put("acknowledgedBy", null);
        view.put("acknowledgedAt", null);
        if (REVIEW_ITEMS.contains(alert.getLevel())) {
            view.put("review", true);
            // The submitting accounts, never the reporters: who entered the evidence is what a reviewer weighs.
            view.put("submittingAccounts", Map.copyOf(alert.getSubmittingAccounts()));
            view.put("burstAccount", alert.getBurstAccount());
            view.put("overdueAt", alert.getRaisedAt().plus(reviewOverdueAfter));
        }
        view.put("decision", outcome(alert.getIndicator(), view));
        trend.record(scope, alert.getAlertId(), alert.getKind().name(), alert.getRaisedAt(), today());
        LinkedHashMap<String, Map<String, Object>> alerts = alerts(scope);
        synchronized (alerts) {
            Map<String, Object> previous = alerts.remove(alert.getAlertId());
            if (previous != null) { // a re-sent alert keeps its acknowledgement
                view.put("acknowledgedBy", previous.get("acknowledgedBy"));
                view.put("acknowledgedAt", previous.get("acknowledgedAt"));
            }
            alerts.put(alert.getAlertId(), view);
            while (alerts.size() > perScope) {
                alerts.remove(alerts.keySet().iterator().next());
            }
        }
        broadcast(scope, "alert", view);
    }

    void apply(Decision decision) {
        if (DecisionAuthority.OFFICER_ACTIONS.contains(decision.getAction())) {
            decided(decision);
            return;
        }
        if (decision.getAction() != DecisionAction.ACKNOWLEDGE || decision.getAlertId() == null) {
            return;
        }
        String scope = decision.getProvince() == null ? Webhook.NATIONAL : decision.getProvince();
        LinkedHashMap<String, Map<String, Object>> alerts = alerts(scope);
        synchronized (alerts) {
            Map<String, Object> view = alerts.get(decision.getAlertId());
            if (view != null) {
                view.put("acknowledgedBy", decision.getActor());
                view.put("acknowledgedAt", decision.getDecidedAt());
            }
        }
        broadcast(scope, "ack", Map.of("alertId", decision.getAlertId(), "acknowledgedBy", decision.getActor(),
                "acknowledgedAt", decision.getDecidedAt()));
    }

    /** Shows the decision on every board's alerts of its indicator, and sends the changed ones to open boards. */
    private void decided(Decision decision) {
        synchronized (decisionsByIndicator) {
            decisionsByIndicator.computeIfAbsent(decision.getIndicator(), i -> new ArrayList<>()).add(decision);
        }
        alertsByScope.forEach((scope, alerts) -> {
            List<Map<String, Object>> changed = new ArrayList<>();
            synchronized (alerts) {
                for (Map<String, Object> view : alerts.values()) {
                    if (view.get("indicator").equals(decision.getIndicator())) {
                        Map<String, Object> outcome = outcome(decision.getIndicator(), view);
                        if (outcome != null && !outcome.equals(view.get("decision"))) {
                            view.put("decision", outcome);
                            changed.add(new LinkedHashMap<>(view));
                        }
                    }
                }
            }
            changed.forEach(view -> broadcast(scope, "alert", view));
        });
    }

    /**
     * The latest decision on the indicator taken after the alert was raised (an earlier one answered an earlier
     * proposal or listing), by a national account or an office of a province that reported it (the processor
     * refuses others); null if none. Staff names are shown: the boards are internal.
     */
    private Map<String, Object> outcome(String indicator, Map<String, Object> view) {
        Instant raisedAt = (Instant) view.get("raisedAt");
        @SuppressWarnings("unchecked")
        List<String> provinces = (List<String>) view.get("provinces");
        Decision latest;
        synchronized (decisionsByIndicator) {
            latest = decisionsByIndicator.getOrDefault(indicator, List.of()).stream()
                    .filter(d -> !d.getDecidedAt().isBefore(raisedAt))
                    .filter(d -> d.getProvince() == null || provinces.contains(d.getProvince()))
                    .max(Comparator.comparing(Decision::getDecidedAt)).orElse(null);
        }
        if (latest == null) {
            return null;
        }
        Map<String, Object> outcome = new HashMap<>();
        outcome.put("action", latest.getAction().name());
        outcome.put("actor", latest.getActor());
        outcome.put("province", latest.getProvince());
        outcome.put("reason", latest.getReason());
        outcome.put("decidedAt", latest.getDecidedAt());
        return outcome;
    }

    /** Newest first. */
    List<Map<String, Object>> recent(String scope) {
        List<Map<String, Object>> newestFirst = inReadingOrder(scope);
        Collections.reverse(newestFirst);
        newestFirst.sort((a, b) -> ((Instant) b.get("raisedAt")).compareTo((Instant) a.get("raisedAt")));
        return newestFirst;
    }

    /**
     * The scope's board: the header's figures, the cards the filter shows, the trend by day and kind, and for the
     * national account the table of provinces.
     */
    Map<String, Object> board(String scope, IndicatorCards.Filter filter) {
        LocalDate today = today();
        List<Map<String, Object>> alerts = inReadingOrder(scope);
        List<Map<String, Object>> cards = IndicatorCards.group(alerts);
        Map<String, Object> board = new LinkedHashMap<>();
        board.put("figures", IndicatorCards.figures(alerts, cards, today));
        board.put("cards", cards.stream().filter(filter::shows).toList());
        board.put("trend", trend.series(scope, today));
        if (scope.equals(Webhook.NATIONAL)) {
            board.put("provinces", Provinces.all().stream().map(province -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("slug", province.slug());
                row.put("name", province.name());
                List<Map<String, Object>> itsAlerts = inReadingOrder(province.slug());
                row.putAll(IndicatorCards.figures(itsAlerts, IndicatorCards.group(itsAlerts), today));
                row.put("trend", trend.totals(province.slug(), today));
                return row;
            }).sorted(BUSIEST_FIRST).toList());
        }
        return board;
    }

    /** The cards the filter shows, as the board lists them (for the CSV export). */
    List<Map<String, Object>> cards(String scope, IndicatorCards.Filter filter) {
        return IndicatorCards.group(inReadingOrder(scope)).stream().filter(filter::shows).toList();
    }

    /** The day in Vietnam: what "today" means on every board. */
    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), IndicatorCards.VIETNAM);
    }

    /** Copies of the scope's alert views, in the order they were read. */
    private List<Map<String, Object>> inReadingOrder(String scope) {
        LinkedHashMap<String, Map<String, Object>> alerts = alerts(scope);
        List<Map<String, Object>> copies = new ArrayList<>();
        synchronized (alerts) {
            alerts.values().forEach(view -> copies.add(new LinkedHashMap<>(view)));
        }
        return copies;
    }

    /** The indicator of the alert, if the alert is on the scope's board. */
    Optional<String> indicatorOf(String scope, String alertId) {
        LinkedHashMap<String, Map<String, Object>> alerts = alerts(scope);
        synchronized (alerts) {
            return Optional.ofNullable(alerts.get(alertId)).map(view -> (String) view.get("indicator"));
        }
    }

    /** Closes the open dashboards' streams when the server stops. */
    void register(JavalinConfig config) {
        dashboards.register(config);
    }

    void connect(String scope, SseClient dashboard) {
        // The first event: only now does the page miss nothing, as it (re)loads the list on it, so alerts that came
        // while it was loading or reconnecting are shown too.
        dashboards.open(scope, dashboard, "connected", "{}");
    }

    int connectedDashboards() {
        return dashboards.count();
    }

    private void broadcast(String scope, String event, Object data) {
        dashboards.send(scope, event, SinkJson.write(data));
    }

    private LinkedHashMap<String, Map<String, Object>> alerts(String scope) {
        return alertsByScope.computeIfAbsent(scope, s -> new LinkedHashMap<>());
    }
}
