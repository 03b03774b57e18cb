package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and the alert rules are well formed: they parse, every panel queries the provisioned Prometheus,
 * every rule has what Alertmanager and the runbook need, and PromQL is read right (the names it yields are what
 * {@link MetricNamesIT} looks for on the running services).
 */
class ObservabilityConfigTest {

    @Test
    void everyPanelQueriesTheProvisionedPrometheus() throws IOException {
        String datasource = new ObjectMapper(new YAMLFactory())
                .readTree(new File("observability/grafana/provisioning/datasources/prometheus.yml"))
                .path("datasources").get(0).path("uid").asText();
        assertThat(ObservabilityConfig.dashboards()).isNotEmpty();
        for (JsonNode dashboard : ObservabilityConfig.dashboards()) {
            assertThat(dashboard.path("uid").asText()).isNotBlank();
            assertThat(dashboard.path("title").asText()).isNotBlank();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : ObservabilityConfig.panels(dashboard)) {
                String title = panel.path("title").asText();
                assertThat(ids.add(panel.path("id").asInt())).as("panel id of %s unique", title).isTrue();
                assertThat(panel.has("gridPos")).as(title).isTrue();
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                assertThat(title).isNotBlank();
                assertThat(panel.path("targets")).as("targets of %s", title).isNotEmpty();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("datasource").path("uid").asText()).as(title).isEqualTo(datasource);
                    assertThat(target.path("refId").asText()).as(title).isNotBlank();
                    assertThat(PromQl.metricNames(target.path("expr").asText()))
                            .as("metrics queried by %s", title).isNotEmpty();
                }
            }
        }
    }

    @Test
    void everyRuleHasAnExpressionADurationASeverityAndWordsForWhoeverIsWoken() {
        JsonNode groups = ObservabilityConfig.rules().path("groups");
        assertThat(groups).isNotEmpty();
        Set<String> names = new HashSet<>();
        for (JsonNode group : groups) {
            assertThat(group.path("name").asText()).isNotBlank();
            assertThat(group.path("rules")).isNotEmpty();
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText();
                assertThat(names.add(name)).as("alert %s defined once", name).isTrue();
                assertThat(name).matches("[A-Z][A-Za-z]+");
                assertThat(PromQl.metricNames(rule.path("expr").asText())).as(name).isNotEmpty();
                assertThat(rule.path("for").asText()).as(name).matches("\\d+[smh]");
                assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("warning", "critical");
                assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
                assertThat(rule.path("annotations").path("description").asText()).as(name).isNotBlank();
            }
        }
    }

    @Test
    void promQlYieldsTheMetricNamesAndNothingElse() {
        assertThat(PromQl.metricNames("sum by (channel) (rate(ingest_reports_written_total{province=~\"$province\"}"
                + "[$__rate_interval]))")).containsExactly("ingest_reports_written_total");
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le) (rate(x_seconds_bucket[5m])))"))
                .containsExactly("x_seconds_bucket");
        assertThat(PromQl.metricNames("sum(a_total) / ignoring(kind) group_left sum without (x) (b) > bool 1e3"
                + " unless on (service) c offset 5m"))
                .containsExactly("a_total", "b", "c");
        assertThat(PromQl.metricNames("up{job=~\"a|b\"} == 0 or label_replace(m, \"dst\", \"$1\", \"src\", \"(.*)\")"))
                .containsExactly("m", "up");
        assertThat(PromQl.metricNames("max_over_time(g[1h:5m]) and topk(5, h{l=\"{}\"})"))
                .containsExactly("g", "h");
    }

    @Test
    void theDashboardAndRulesUseTheMetricsTheIssueAsksFor() {
        // What each of them is about, by the metric that shows it (the names are checked live by MetricNamesIT).
        assertThat(ObservabilityConfig.metricNames().keySet()).contains(
                "ingest_reports_written_total", "ingest_requests_total",
                "kafka_consumer_fetch_manager_records_lag_max", "bhxh_processor_reports_decoded_total",
                "bhxh_processor_alerts_total", "bhxh_processor_province_alerts_total",
                "bhxh_sink_blocklist_entries", "bhxh_processor_listings_total",
                "bhxh_sink_webhook_deliveries_total", "bhxh_sink_webhook_failures_total",
                "bhxh_processor_dead_letters_total", "bhxh_sink_dead_letters_total");
    }
}
