package vn.bhxh.shield.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The Grafana dashboards and Prometheus alert rules under deploy/observability, and the PromQL they hold. */
final class ObservabilityConfig {

    static final Path DASHBOARDS = Path.of("observability", "grafana", "dashboards");
    static final Path RULES = Path.of("observability", "prometheus", "alerts.yml");
    /** Series Prometheus makes itself for every target; no service exports them. */
    static final Set<String> SYNTHETIC = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ObservabilityConfig() {
    }

    static List<JsonNode> dashboards() {
        List<JsonNode> dashboards = new ArrayList<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(JSON.readTree(file.toFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dashboards;
    }

    /** Every panel, those inside collapsed rows too. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        });
        return panels;
    }

    static JsonNode rules() {
        try {
            return YAML.readTree(RULES.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where each expression is used ("dashboard: panel title", "rule: alert name") to the expression. */
    static Map<String, String> expressions() {
        Map<String, String> expressions = new TreeMap<>();
        for (JsonNode dashboard : dashboards()) {
            for (JsonNode panel : panels(dashboard)) {
                int n = 0;
                for (JsonNode target : panel.path("targets")) {
                    expressions.put(dashboard.path("title").asText() + ": " + panel.path("title").asText()
                            + " #" + ++n, target.path("expr").asText());
                }
            }
        }
        rules().path("groups").forEach(group -> group.path("rules").forEach(rule ->
                expressions.put("rule: " + rule.path("alert").asText(), rule.path("expr").asText())));
        return expressions;
    }

    /** Metric name to the places that use it; Prometheus' own series left out. */
    static Map<String, Set<String>> metricNames() {
        Map<String, Set<String>> names = new TreeMap<>();
        expressions().forEach((where, expression) -> PromQl.metricNames(expression).stream()
                .filter(name -> !SYNTHETIC.contains(name))
                .forEach(name -> names.computeIfAbsent(name, n -> new TreeSet<>()).add(where)));
        return names;
    }
}
