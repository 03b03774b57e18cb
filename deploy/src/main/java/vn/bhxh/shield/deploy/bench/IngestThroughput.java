package vn.bhxh.shield.deploy.bench;

import java.time.Instant;
import java.util.function.LongFunction;
import me.tongfei.progressbar.ProgressBar;
import vn.bhxh.shield.schema.Channel;

/**
 * Requests per second and latency of {@code POST /api/v1/reports} from concurrent keep-alive clients, next to
 * the same HTTP stack answering the same requests with a bare 202 ({@link TrivialEndpoint}). Both get identical
 * bodies from the generator (including its malformed share, which ingest answers 400).
 */
final class IngestThroughput {

    static final String OPERATOR = "Bearer dev-operator-token";
    static final String POLICE = "Bearer dev-police-token";

    private final BenchCluster cluster;
    private final BenchSettings settings;
    private final Samples samples;

    IngestThroughput(BenchCluster cluster, BenchSettings settings, Samples samples) {
        this.cluster = cluster;
        this.settings = settings;
        this.samples = samples;
    }

    void measure(String figure, int port, int run) throws Exception {
        HttpLoad load = new HttpLoad(port, settings.httpClients());
        LongFunction<HttpLoad.Call> calls = realisticCalls(settings, figure + "-" + run, run);
        try (ProgressBar progress = Progress.of(figure + " warm-up #" + run, settings.httpWarmUp().toSeconds(), "s")) {
            load.closedLoop(settings.httpWarmUp(), calls, progress);
        }
        HttpLoad.Result result;
        CpuUse cpu = CpuUse.start(cluster.roles());
        try (ProgressBar progress = Progress.of(figure + " #" + run, settings.httpRun().toSeconds(), "s")) {
            result = load.closedLoop(settings.httpRun(), calls, progress);
        }
        cpu.addTo(samples, figure);
        if (result.accepted() == 0) {
            throw new IllegalStateException(figure + ": no request was accepted (" + result + ")");
        }
        double seconds = result.took().toNanos() / 1e9;
        samples.add(figure + ".rps", (result.accepted() + result.refused()) / seconds);
        samples.add(figure + ".p50ms", result.latencyMicros().getValueAtPercentile(50) / 1000.0);
        samples.add(figure + ".p99ms", result.latencyMicros().getValueAtPercentile(99) / 1000.0);
        samples.add(figure + ".failed", result.failed());
    }

    /** Generated reports as API calls, each with its own Idempotency-Key; the generator is shared under a lock. */
    static LongFunction<HttpLoad.Call> realisticCalls(BenchSettings settings, String keyPrefix, long streamSeed) {
        ReportGenerator generator = new ReportGenerator(settings.generatorOptions(1_000 + streamSeed)
                .withoutFanpage());
        return ticket -> {
            GeneratedReport report;
            synchronized (generator) {
                report = generator.next(Instant.now());
            }
            String key = keyPrefix + "-" + ticket;
            return new HttpLoad.Call(report.channel() == Channel.POLICE ? POLICE : OPERATOR, report.toJson(key), key,
                    (status, at, body) -> { });
        };
    }
}
