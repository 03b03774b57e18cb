package vn.bhxh.shield.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.DoNotOriginateEntry;
import vn.bhxh.shield.schema.LinkedIndicator;
import vn.bhxh.shield.runtime.JsonMappers;

/**
 * The JSON the sink shows the outside world (partners, provincial webhooks, dashboards): times as ISO-8601
 * instants, every indicator with the form people read. Built field by field rather than from the Avro records so
 * nothing new in the contract (e.g. an audit trail naming staff) leaks out unreviewed.
 */
final class SinkJson {

    static final ObjectMapper MAPPER = JsonMappers.create();

    private SinkJson() {
    }

    static String write(Object value) {
        return JsonMappers.write(value);
    }

    static String display(String indicatorKey) {
        return Indicator.parseKey(indicatorKey).map(Indicator::display).orElse(indicatorKey);
    }

    /**
     * A listing as partners see it: what, why (a code and its Vietnamese text), how many reported it where, since
     * and until when. Never the audit trail: no staff, police unit, case reference or note.
     */
    static Map<String, Object> blocklistEntry(BlocklistEntry entry) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("indicator", entry.getIndicator());
        json.put("display", display(entry.getIndicator()));
        json.put("kind", entry.getKind().name());
        json.put("status", entry.getStatus().name());
        json.put("reason", entry.getReason());
        json.put("distinctReporters", entry.getDistinctReporters());
        json.put("weightedReporters", entry.getWeightedReporters());
        json.put("reportCount", entry.getReportCount());
        json.put("provinces", List.copyOf(entry.getProvinces()));
        json.put("firstSeen", entry.getFirstSeen());
        json.put("lastSeen", entry.getLastSeen());
        json.put("listedAt", entry.getListedAt());
        json.put("expiresAt", entry.getExpiresAt());
        // Last, so the CSV (one column per key, in this order) gains it as its last column and partners' parsers
        // that read columns by position keep working.
        json.put("reasonCode", entry.getReasonCode().name());
        return json;
    }

    /** A number of the Do-Not-Originate list: a call presenting it as caller id is spoofed. */
    static Map<String, Object> doNotOriginateEntry(DoNotOriginateEntry entry) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("number", entry.getNumber());
        json.put("display", entry.getDisplay());
        json.put("name", entry.getName());
        json.put("since", entry.getSince());
        return json;
    }

    /**
     * An alert as the province's own dashboard shows it: what a webhook gets, plus the sample notes (free text
     * from citizens, rendered escaped), which never leave the sink's dashboards, and its linked indicators.
     */
    static Map<String, Object> alert(Alert alert) {
        Map<String, Object> json = webhookAlert(alert);
        json.put("sampleNotes", List.copyOf(alert.getSampleNotes()));
        json.put("linked", alert.getLinked().stream().map(SinkJson::linked).toList());
        return json;
    }

    /** An indicator named together with the alert's in reports (its campaign), with the form people read. */
    private static Map<String, Object> linked(LinkedIndicator linked) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("indicator", linked.getIndicator());
        json.put("display", display(linked.getIndicator()));
        json.put("reports", linked.getReports());
        json.put("since", linked.getSince());
        return json;
    }

    /**
     * An alert as it is POSTed to a provincial webhook: facts, counts and times, nothing a citizen wrote (no notes:
     * a receiver's systems are outside our control, and they need only what to act on).
     */
    static Map<String, Object> webhookAlert(Alert alert) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("alertId", alert.getAlertId());
        json.put("indicator", alert.getIndicator());
        json.put("display", display(alert.getIndicator()));
        json.put("kind", alert.getKind().name());
        json.put("level", alert.getLevel().name());
        json.put("reason", alert.getReason());
        json.put("provinces", List.copyOf(alert.getProvinces()));
        json.put("distinctReporters", alert.getDistinctReporters());
        json.put("weightedReporters", alert.getWeightedReporters());
        json.put("reportCount", alert.getReportCount());
        json.put("channelCounts", Map.copyOf(alert.getChannelCounts()));
        json.put("requested", alert.getRequested().stream().map(Enum::name).toList());
        json.put("amountLostVnd", alert.getAmountLostVnd());
        json.put("windowStart", alert.getWindowStart());
        json.put("windowEnd", alert.getWindowEnd());
        json.put("firstSeen", alert.getFirstSeen());
        json.put("lastSeen", alert.getLastSeen());
        json.put("raisedAt", alert.getRaisedAt());
        json.put("hourlyReports", List.copyOf(alert.getHourlyReports()));
        return json;
    }
}
