package vn.bhxh.shield.runtime;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The HTTP face every service shares: {@code GET /health} (200 only when every check is up, 503 otherwise,
 * with the detail of each check) and {@code GET /metrics} in the Prometheus text format. A service adds its own
 * routes through {@code routes}.
 */
public final class ServiceHttpServer implements AutoCloseable {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Javalin app;

    private ServiceHttpServer(Javalin app) {
        this.app = app;
    }

    public static ServiceHttpServer start(String serviceName, int port, PrometheusMeterRegistry metrics,
                                          Map<String, HealthCheck> checks, Consumer<JavalinConfig> routes) {
        Map<String, HealthCheck> orderedChecks = new LinkedHashMap<>(checks);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/health", ctx -> {
                Map<String, Object> results = new LinkedHashMap<>();
                boolean allUp = true;
                for (var entry : orderedChecks.entrySet()) {
                    HealthCheck.Status status = entry.getValue().check();
                    allUp &= status.up();
                    results.put(entry.getKey(), Map.of("up", status.up(), "detail", status.detail()));
                }
                ctx.status(allUp ? 200 : 503).json(Map.of(
                        "service", serviceName, "status", allUp ? "UP" : "DOWN", "checks", results));
            });
            config.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
            routes.accept(config);
        });
        app.start(port);
        return new ServiceHttpServer(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
