package vn.bhxh.shield.sink;

import io.javalin.http.sse.SseClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;

/**
 * What the dashboards show: the recent alerts of each scope (a province slug, or national for the national
 * topic), with whether the office acknowledged them, and the open dashboards (SSE clients) of each scope. An
 * alert reaches only the dashboards of the topic it was read from, so an office never sees another's alerts.
 */
final class AlertBoard {

    private final int perScope;
    private final Map<String, LinkedHashMap<String, Map<String, Object>>> alertsByScope = new ConcurrentHashMap<>();
    private final Map<String, Set<SseClient>> dashboardsByScope = new ConcurrentHashMap<>();

    AlertBoard(int perScope) {
        this.perScope = perScope;
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

    /** Newest first. */
    List<Map<String, Object>> recent(String scope) {
        LinkedHashMap<String, Map<String, Object>> alerts = alerts(scope);
        List<Map<String, Object>> newestFirst;
        synchronized (alerts) {
            newestFirst = new ArrayList<>();
            alerts.values().forEach(view -> newestFirst.add(0, new LinkedHashMap<>(view)));
        }
        newestFirst.sort((a, b) -> ((Instant) b.get("raisedAt")).compareTo((Instant) a.get("raisedAt")));
        return newestFirst;
    }

    /** The indicator of the alert, if the alert is on the scope's board. */
    Optional<String> indicatorOf(String scope, String alertId) {
        LinkedHashMap<String, Map<String, Object>> alerts = alerts(scope);
        synchronized (alerts) {
            return Optional.ofNullable(alerts.get(alertId)).map(view -> (String) view.get("indicator"));
        }
    }

    void connect(String scope, SseClient dashboard) {
        Set<SseClient> dashboards = dashboardsByScope.computeIfAbsent(scope, s -> new CopyOnWriteArraySet<>());
        dashboards.add(dashboard);
        dashboard.onClose(() -> dashboards.remove(dashboard));
        // Only now does the page miss nothing: it (re)loads the list on this event, so alerts that came while it
        // was loading or reconnecting are shown too.
        synchronized (dashboard) {
            dashboard.sendEvent("connected", "{}");
        }
    }

    int connectedDashboards() {
        return dashboardsByScope.values().stream().mapToInt(Set::size).sum();
    }

    private void broadcast(String scope, String event, Object data) {
        String json = SinkJson.write(data);
        for (SseClient dashboard : dashboardsByScope.getOrDefault(scope, Set.of())) {
            synchronized (dashboard) {
                if (!dashboard.terminated()) {
                    dashboard.sendEvent(event, json);
                }
            }
        }
    }

    private LinkedHashMap<String, Map<String, Object>> alerts(String scope) {
        return alertsByScope.computeIfAbsent(scope, s -> new LinkedHashMap<>());
    }
}
