package vn.bhxh.shield.deploy.bench;

import me.tongfei.progressbar.ProgressBar;
import vn.bhxh.shield.schema.Channel;

/**
 * Requests per second and latency of {@code POST /api/v1/reports} under closed-loop load from {@link Wrk}
 * ({@code httpClients} connections), next to the same HTTP stack answering the same requests with a bare 202
 * ({@link TrivialEndpoint}). Both get the same pre-generated bodies (including the generator's malformed share,
 * which ingest answers 400), with the cores of every process, wrk's included, over the measured run.
 */
final class IngestThroughput {

    static final String OPERATOR = "Bearer dev-operator-token";
    static final String POLICE = "Bearer dev-police-token";

    /** The dev account allowed to send {@code report}'s channel. */
    static String authorization(GeneratedReport report) {
        return report.channel() == Channel.POLICE ? POLICE : OPERATOR;
    }

    private final BenchCluster cluster;
    private final BenchSettings settings;
    private final Samples samples;
    private final Wrk wrk;

    IngestThroughput(BenchCluster cluster, BenchSettings settings, Samples samples) throws Exception {
        this.cluster = cluster;
        this.settings = settings;
        this.samples = samples;
        this.wrk = Wrk.prepare(cluster.workDir(), new ReportGenerator(settings.generatorOptions(1_000)
                .withoutFanpage()));
    }

    /** One run against {@code port}: a warm-up, then the measured run; {@code figure} is also the process's role. */
    void measure(String figure, int port, int run) throws Exception {
        // bench.seed plus the run number: the runs draw different bodies, and each run repeats exactly.
        long seed = settings.seed() + run;
        try (ProgressBar progress = Progress.of(figure + " warm-up #" + run, settings.httpWarmUp().toSeconds(), "s")) {
            wrk.run(figure + "-" + run + "-warm-up", port, settings.httpClients(), settings.httpWarmUp(), seed,
                    cluster.roles(), progress);
        }
        Wrk.Result result;
        try (ProgressBar progress = Progress.of(figure + " #" + run, settings.httpRun().toSeconds(), "s")) {
            result = wrk.run(figure + "-" + run, port, settings.httpClients(), settings.httpRun(), seed,
                    cluster.roles(), progress);
        }
        if (result.accepted() == 0) {
            throw new IllegalStateException(figure + ": no request was accepted (" + result + ")");
        }
        result.cores().forEach((role, cores) -> samples.add(figure + ".cpu." + role, cores));
        samples.add(figure + ".rps", result.perSecond());
        samples.add(figure + ".p50ms", result.p50ms());
        samples.add(figure + ".p99ms", result.p99ms());
        samples.add(figure + ".failed", result.otherStatus() + result.errors());
        double ownCores = result.cores().getOrDefault(figure, 0.0);
        samples.add(figure + ".cpuMsPerRequest", ownCores * 1000 / result.perSecond());
    }

}
