package vn.bhxh.shield.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark's arithmetic without a broker: wrk's result line, the step search's levels, the drain's middle. */
class BenchArithmeticTest {

    /** wrk's own summary and the script's result line, as wrk 4.1 prints them. */
    private static final String WRK_OUTPUT = """
            Running 5s test @ http://localhost:45657/api/v1/reports
              2 threads and 64 connections
            Requests/sec:     17.12
            WRK_RESULT {"requests":5000,"durationUs":2500000,"status202":4890,"status400":100,"statusOther":10,\
            "connectErrors":0,"readErrors":1,"writeErrors":0,"timeouts":2,"p50Us":2829,"p90Us":5868,\
            "p99Us":12500,"p999Us":30000,"maxUs":45000}
            """;

    @Test
    void wrksResultLineGivesTheRateTheStatusesAndTheLatencies() throws Exception {
        Wrk.Result result = Wrk.parse(WRK_OUTPUT, Map.of("wrk", 0.2));

        assertThat(result.perSecond()).isEqualTo(2_000.0);
        assertThat(result.accepted()).isEqualTo(4_890);
        assertThat(result.refused()).isEqualTo(100);
        assertThat(result.otherStatus()).isEqualTo(10);
        assertThat(result.errors()).isEqualTo(3);
        assertThat(result.p50ms()).isEqualTo(2.829);
        assertThat(result.p99ms()).isEqualTo(12.5);
        assertThat(result.cores()).containsEntry("wrk", 0.2);
    }

    @Test
    void anOutputWithoutTheResultLineIsAnError() {
        assertThatThrownBy(() -> Wrk.parse("unable to connect to localhost:1 Connection refused", Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Connection refused");
    }

    @Test
    void theStepSearchMultipliesEachLevelRoundedTo50() {
        BenchSettings.StepSearch full = BenchSettings.of("full", Path.of("target")).steps();

        int rate = full.start();
        StringBuilder levels = new StringBuilder().append(rate);
        for (int i = 0; i < 8; i++) {
            rate = full.next(rate);
            levels.append(' ').append(rate);
        }

        assertThat(levels).hasToString("1000 1250 1550 1950 2450 3050 3800 4750 5950");
    }

    @Test
    void theDrainsMiddleIsInterpolatedBetweenTwoPolls() {
        // 1,000 committed at t=100, 3,000 at t=300: 2,000 was passed half way.
        assertThat(GroupDrain.crossing(100, 1_000, 300, 3_000, 2_000)).isEqualTo(200.0);
        // Already past at the first poll after nothing: the poll's own time at the latest.
        assertThat(GroupDrain.crossing(100, 0, 300, 3_000, 0)).isEqualTo(100.0);
        assertThat(GroupDrain.crossing(100, 3_000, 300, 3_000, 2_000)).isEqualTo(300.0);
    }

    @Test
    void fullModeDrainsAtLeastTwoMillionRecords() {
        BenchSettings full = BenchSettings.of("full", Path.of("target"));

        assertThat(full.drainRecords()).isGreaterThanOrEqualTo(2_000_000);
        assertThat(full.repeats()).isEqualTo(3);
        assertThat(full.offeredLoads()).containsExactly(100, 1_000);
    }

    @Test
    void aQuietQuickRunEstimatesFullModeInTensOfMinutes() {
        // A quick run on an idle 2-core machine, the rates of the last published full report.
        Samples quick = new Samples();
        Map.of("floor.producer", 250_000.0, "floor.consumer", 860_000.0, "passthrough", 40_000.0,
                "processor", 15_000.0, "ingest.rps", 3_000.0, "backlog.records", 45_000.0).forEach(quick::add);
        Map.of("time.preload", 2.0, "time.drains", 25.0, "time.http", 20.0, "time.latency", 25.0,
                "time.steps", 30.0, "time.state", 60.0, "restore.30000.joinS", 4.0,
                "restore.30000.restoreS", 1.0).forEach(quick::add);
        for (int level = 0; level < 3; level++) {
            quick.add("steps.levels", 1);
        }

        double minutes = FullModeEstimate.minutes(quick, BenchSettings.of("quick", Path.of("target")));

        // Drains 13 min, state (10M indicators) 22, step search 5, the rest 7: seconds and minutes not mixed up.
        assertThat(minutes).isBetween(40.0, 55.0);
    }
}
