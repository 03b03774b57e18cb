package vn.bhxh.shield.deploy.bench;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import vn.bhxh.shield.runtime.ServiceHttpServer;
import vn.bhxh.shield.runtime.ServiceLifecycle;
import vn.bhxh.shield.runtime.ServiceMetrics;
import vn.bhxh.shield.runtime.Settings;

/**
 * The HTTP limit ingest is compared with: the same server stack (Javalin through {@link ServiceHttpServer}, with
 * its metrics) in its own process, answering {@code POST /api/v1/reports} with 202 after reading the body, and
 * doing nothing else.
 */
public final class TrivialEndpoint {

    static final String PORT = "BENCH_TRIVIAL_PORT";
    private static final String RECEIPT = "{\"reportId\":\"trivial\"}";

    private TrivialEndpoint() {
    }

    public static void main(String[] args) throws InterruptedException {
        PrometheusMeterRegistry metrics = ServiceMetrics.create("bench-trivial");
        ServiceHttpServer server = ServiceHttpServer.start("bench-trivial",
                Settings.fromEnvironment().integer(PORT, 0), metrics, Map.of(),
                config -> config.routes.post("/api/v1/reports", ctx -> {
                    ctx.bodyAsBytes();
                    ctx.status(202).contentType("application/json; charset=utf-8").result(RECEIPT);
                }));
        ServiceLifecycle.runUntilShutdown("bench-trivial", server);
    }
}
