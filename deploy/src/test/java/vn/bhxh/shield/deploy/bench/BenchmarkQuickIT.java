package vn.bhxh.shield.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark command in quick mode, end to end, so that it cannot rot: every figure is produced, with the
 * cores of every process beside it, and the report (its target table first) and its charts are written. Nothing
 * about speed is asserted; the machine decides that.
 */
class BenchmarkQuickIT {

    @Test
    void quickModeProducesEveryFigureTheTargetTableAndTheCharts() throws Exception {
        Path out = Path.of("target", "benchmark-quick-it").toAbsolutePath();
        BenchSettings settings = BenchSettings.of("quick", out);
        Benchmark benchmark = new Benchmark(settings);

        Path report = benchmark.run();

        List<String> figures = new ArrayList<>(List.of("floor.producer", "floor.consumer", "passthrough",
                "processor", "ratio.processor", "ratio.passthrough.producer", "processor.cpu.processor",
                "processor.cpuMsPerRecord", "processor.cpuMsPerReport", "passthrough.cpu.passthrough",
                "trivial.rps", "trivial.p99ms", "trivial.cpu.wrk", "ingest.rps", "ingest.p99ms", "ingest.cpu.ingest",
                "ingest.cpu.wrk", "ingest.cpuMsPerRequest", "ratio.ingest"));
        for (int load : settings.offeredLoads()) {
            for (String figure : List.of("offered", "achieved", "probes", "p50ms", "p99ms", "p999ms",
                    "cpu.generator", "cpu.processor", "cpu.ingest", "cpu.broker")) {
                figures.add("latency." + load + "." + figure);
            }
        }
        for (int indicators : settings.stateIndicators()) {
            for (String figure : List.of("rssMiB", "heapMiB", "liveMiB", "diskMiB")) {
                figures.add("state." + indicators + "." + figure);
            }
        }
        for (String figure : List.of("joinS", "restoreS", "s")) {
            figures.add("restore." + settings.restoreIndicators() + "." + figure);
        }
        for (String figure : figures) {
            assertThat(benchmark.samples().all(figure)).as(figure).isNotEmpty().allSatisfy(value ->
                    assertThat(value).as(figure).isPositive());
        }
        assertThat(benchmark.samples().all("backlog.records")).singleElement()
                .satisfies(records -> assertThat(records).isGreaterThanOrEqualTo(settings.drainRecords()));
        // The step search ran, and its result is one of the levels it offered (or 0 when the first failed).
        assertThat(benchmark.samples().all("steps.levels")).isNotEmpty();
        assertThat(benchmark.samples().all("highest")).singleElement().satisfies(highest ->
                assertThat(highest).isIn(0.0, 1_000.0, 1_500.0, 2_250.0));

        String markdown = Files.readString(report);
        assertThat(markdown).contains("## Throughput", "## End-to-end latency", "## Highest sustained rate",
                "## State", "Full mode takes about", "wrk debian", "Kafka 4.3.1");
        List<String> targets = tableAfter(markdown, BenchReport.TARGETS_HEADING);
        assertThat(targets).hasSize(8);
        for (String row : targets) {
            String[] cells = row.split("\\|");
            // | figure | measured | target | verdict | cores |
            assertThat(Double.parseDouble(cells[2].strip().replaceFirst(" ± .*", "").replace(",", ""))).as(row)
                    .isNotNegative();
            assertThat(cells[4].strip()).as(row).isIn("PASS", "**MISS**");
            assertThat(cells[5]).as(row).contains("machine");
        }
        assertThat(tableAfter(markdown, "## Highest sustained rate")).isNotEmpty()
                .allSatisfy(row -> assertThat(row).containsAnyOf("| pass |", "| **fail** |"));
        for (String chart : List.of(BenchReport.LATENCY_CHART, BenchReport.RATIO_CHART, BenchReport.THROUGHPUT_CHART)) {
            assertThat(markdown).contains("(" + chart + ")");
            assertThat(out.resolve(chart)).isNotEmptyFile();
            assertThat(Files.readAllBytes(out.resolve(chart))).startsWith(0x89, 'P', 'N', 'G');
        }
    }

    /** The body rows of the first table after {@code heading}. */
    private static List<String> tableAfter(String markdown, String heading) {
        List<String> lines = markdown.substring(markdown.indexOf(heading)).lines().toList();
        List<String> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines) {
            if (line.startsWith("|")) {
                inTable = true;
                rows.add(line);
            } else if (inTable) {
                break;
            }
        }
        return rows.subList(Math.min(2, rows.size()), rows.size());
    }
}
