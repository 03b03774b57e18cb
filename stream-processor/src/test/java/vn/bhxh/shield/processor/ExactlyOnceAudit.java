package vn.bhxh.shield.processor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.topic.Topics;

/**
 * Compares the committed outputs with the reference model, counting what is missing (lost), what is there more
 * than once (duplicated) and what is there but should not be, or is there with other figures (wrong).
 *
 * <p>Alerts: each expected level of an indicator is one alert (one alertId): a proposal, its escalation, a listing
 * (BLOCKED) each exist exactly once. It is on the national topic (PROPOSED, BLOCKED, spoofing, or when it names no
 * province) and on each province topic it names, once each; an ESCALATED alert on the national topic only;
 * which provinces a WARNING names depends on when it was crossed, so they are checked to be the indicator's. Blocklist: the last
 * record of each listed indicator carries exactly the model's figures; every record after the first follows one
 * new report, so report counts along the key go up by exactly one: a repeat is a duplicate, a gap a loss.
 */
final class ExactlyOnceAudit {

    private final Map<String, ReferenceRules.Expected> expected;
    private final List<String> problems = new ArrayList<>();
    private int lost;
    private int duplicated;
    private int wrong;

    private ExactlyOnceAudit(Map<String, ReferenceRules.Expected> expected) {
        this.expected = expected;
    }

    static ExactlyOnceAudit of(Map<String, ReferenceRules.Expected> expected, ProcessorOutputs outputs) {
        ExactlyOnceAudit audit = new ExactlyOnceAudit(expected);
        audit.alerts(outputs.alerts());
        audit.blocklist(outputs.blocklist());
        outputs.deadLetters().forEach(letter -> audit.wrong("dead letter for valid input: "
                + letter.value().getErrorKind() + " " + letter.value().getError()));
        return audit;
    }

    int lost() {
        return lost;
    }

    int duplicated() {
        return duplicated;
    }

    int wrong() {
        return wrong;
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    private void alerts(List<ConsumerRecord<String, Alert>> records) {
        // indicator|level -> alertId -> topics it was read from, one entry per record
        Map<String, Map<String, List<String>>> seen = new LinkedHashMap<>();
        Map<String, Alert> byId = new LinkedHashMap<>();
        for (ConsumerRecord<String, Alert> record : records) {
            Alert alert = record.value();
            if (!alert.getIndicator().equals(record.key())) {
                wrong("alert " + alert.getAlertId() + " keyed " + record.key());
            }
            seen.computeIfAbsent(alert.getIndicator() + "|" + alert.getLevel(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(alert.getAlertId(), k -> new ArrayList<>()).add(record.topic());
            byId.put(alert.getAlertId(), alert);
        }
        for (ReferenceRules.Expected indicator : expected.values()) {
            for (AlertLevel level : indicator.levels()) {
                Map<String, List<String>> ids = seen.remove(indicator.indicator() + "|" + level);
                if (ids == null) {
                    lost("no " + level + " alert for " + indicator.indicator());
                    continue;
                }
                if (ids.size() > 1) {
                    duplicated(ids.size() - 1, level + " crossed " + ids.size() + " times by "
                            + indicator.indicator() + ": " + ids.keySet());
                }
                ids.forEach((alertId, topics) -> routing(indicator, byId.get(alertId), topics));
            }
        }
        seen.forEach((indicatorLevel, ids) -> wrong("unexpected alert " + indicatorLevel + " " + ids.keySet()));
    }

    /** One alert is on each topic it belongs to exactly once, and nowhere else. */
    private void routing(ReferenceRules.Expected indicator, Alert alert, List<String> topics) {
        if (!indicator.provinces().containsAll(alert.getProvinces())) {
            wrong(alert.getAlertId() + " names provinces " + alert.getProvinces() + " of which "
                    + indicator.indicator() + " has only " + indicator.provinces());
        }
        // The boards: the provinces the evidence names and, for a provincial landline, its area code's province.
        Set<String> boards = new TreeSet<>(alert.getProvinces());
        Indicator.parseKey(alert.getIndicator()).flatMap(Provinces::ofLandline)
                .ifPresent(home -> boards.add(home.slug()));
        Set<String> belongs = new TreeSet<>();
        if (alert.getLevel() != AlertLevel.ESCALATED) {
            boards.forEach(province -> belongs.add(Topics.provinceAlertsName(province)));
        }
        if (alert.getLevel() != AlertLevel.WARNING || boards.isEmpty()) {
            belongs.add(Topics.ALERTS_NATIONAL);
        }
        for (String topic : belongs) {
            long copies = topics.stream().filter(topic::equals).count();
            if (copies == 0) {
                lost(alert.getLevel() + " " + alert.getAlertId() + " missing on " + topic);
            } else if (copies > 1) {
                duplicated((int) copies - 1, alert.getLevel() + " " + alert.getAlertId() + " " + copies
                        + " times on " + topic);
            }
        }
        topics.stream().filter(topic -> !belongs.contains(topic))
                .forEach(topic -> wrong(alert.getAlertId() + " on " + topic + ", which it does not name"));
    }

    private void blocklist(List<ConsumerRecord<String, BlocklistEntry>> records) {
        Map<String, List<BlocklistEntry>> byKey = new LinkedHashMap<>();
        records.forEach(record -> byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value()));
        for (ReferenceRules.Expected indicator : expected.values()) {
            List<BlocklistEntry> history = byKey.remove(indicator.indicator());
            if (indicator.listing() == null) {
                if (history != null) {
                    wrong(indicator.indicator() + " must never be listed, has " + history.size() + " records");
                }
                continue;
            }
            if (history == null) {
                lost(indicator.indicator() + " missing from the blocklist");
                continue;
            }
            history(indicator, history);
        }
        byKey.keySet().forEach(key -> wrong("unexpected blocklist key " + key));
    }

    private void history(ReferenceRules.Expected indicator, List<BlocklistEntry> history) {
        for (int i = 1; i < history.size(); i++) {
            if (history.get(i) == null || history.get(i - 1) == null) {
                wrong(indicator.indicator() + " lifted (tombstone) though nothing lifts it");
                return;
            }
            // Renewals are sent once per PROCESSOR_RENEW_INTERVAL with every report since: a step may cover
            // several reports (the last entry must count them all, checked below), but never none.
            int step = history.get(i).getReportCount() - history.get(i - 1).getReportCount();
            if (step == 0) {
                duplicated(1, indicator.indicator() + " blocklist record repeated at reportCount "
                        + history.get(i).getReportCount());
            } else if (step < 0) {
                wrong(indicator.indicator() + " reportCount went back from " + history.get(i - 1).getReportCount());
            }
        }
        BlocklistEntry last = history.get(history.size() - 1);
        if (last == null) {
            return; // reported above
        }
        if (last.getReportCount() < indicator.reportCount()) {
            lost(indicator.reportCount() - last.getReportCount(), indicator.indicator() + " counts "
                    + last.getReportCount() + " of " + indicator.reportCount() + " reports");
        } else if (last.getReportCount() > indicator.reportCount()) {
            duplicated(last.getReportCount() - indicator.reportCount(), indicator.indicator() + " counts "
                    + last.getReportCount() + " reports, only " + indicator.reportCount() + " were sent");
        }
        String figures = last.getStatus() + " " + last.getDistinctReporters() + " reporters, weighted "
                + last.getWeightedReporters() + ", provinces " + last.getProvinces();
        String model = indicator.listing() + " " + indicator.distinctReporters() + " reporters, weighted "
                + indicator.weightedReporters() + ", provinces " + indicator.provinces();
        if (!figures.equals(model)) {
            wrong(indicator.indicator() + " listed as " + figures + ", expected " + model);
        }
    }

    private void lost(String what) {
        lost(1, what);
    }

    private void lost(int count, String what) {
        lost += count;
        problems.add("LOST " + what);
    }

    private void duplicated(int count, String what) {
        duplicated += count;
        problems.add("DUPLICATED " + what);
    }

    private void wrong(String what) {
        wrong++;
        problems.add("WRONG " + what);
    }
}
