package vn.bhxh.shield.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark command in quick mode, end to end, so that it cannot rot: every figure is produced and the report
 * and its charts are written. Nothing about speed is asserted; the machine decides that.
 */
class BenchmarkQuickIT {

    @Test
    void quickModeProducesEveryFigureTheReportAndItsCharts() throws Exception {
        Path out = Path.of("target", "benchmark-quick-it").toAbsolutePath();
        BenchSettings settings = BenchSettings.of("quick", out);
        Benchmark benchmark = new Benchmark(settings);

        Path report = benchmark.run();

        List<String> figures = new ArrayList<>(List.of("floor.producer", "floor.consumer", "passthrough",
                "processor", "ratio.processor", "ratio.passthrough.producer", "trivial.rps", "trivial.p99ms",
                "ingest.rps", "ingest.p99ms", "ratio.ingest"));
        List<String> loads = new ArrayList<>(settings.offeredLoads().stream().map(String::valueOf).toList());
        loads.add("highest");
        for (String load : loads) {
            for (String figure : List.of("offered", "achieved", "probes", "p50ms", "p99ms", "p999ms")) {
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
        String markdown = Files.readString(report);
        assertThat(markdown).contains("## Throughput", "## End-to-end latency", "## State", "commit interval",
                "cores", "Kafka 4.3.1");
        for (String chart : List.of(BenchReport.LATENCY_CHART, BenchReport.RATIO_CHART, BenchReport.THROUGHPUT_CHART)) {
            assertThat(markdown).contains("(" + chart + ")");
            assertThat(out.resolve(chart)).isNotEmptyFile();
            assertThat(Files.readAllBytes(out.resolve(chart))).startsWith(0x89, 'P', 'N', 'G');
        }
    }
}
