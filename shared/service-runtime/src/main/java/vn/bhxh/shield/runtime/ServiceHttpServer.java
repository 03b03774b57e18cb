package vn.bhxh.shield.runtime;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The HTTP face every service shares: {@code GET /health/live} and {@code GET /health/ready} (see {@link Health};
 * 200 only when every check asked is up, 503 otherwise, with the detail of each check), {@code GET /health} as an
 * alias of ready for older callers, {@code GET /metrics} in the Prometheus text format, the service's OpenAPI
 * document and Swagger UI ({@link ApiDocs}), and every error as RFC 9457 problem+json ({@link HttpProblems}). A
 * service adds its own routes through {@code routes}. Every answer reaches its client even when it was decided before the body was read.
 */
public final class ServiceHttpServer implements AutoCloseable {

    private static final int RESPONSE_COPY_BUFFER_BYTES = 4096;

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Javalin app;

    private ServiceHttpServer(Javalin app) {
        this.app = app;
    }

    /** A server whose {@code checks} are all readiness checks (no liveness check: live while it answers). */
    public static ServiceHttpServer start(String serviceName, int port, PrometheusMeterRegistry metrics,
                                          Map<String, HealthCheck> checks, Consumer<JavalinConfig> routes) {
        return start(serviceName, port, metrics, Health.readiness(checks), routes);
    }

    public static ServiceHttpServer start(String serviceName, int port, PrometheusMeterRegistry metrics,
                                          Health health, Consumer<JavalinConfig> routes) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            // Javalin copies every answer to Jetty through a new buffer of this size, Jetty's output buffer size
            // (32 KiB) when unset: 29 % of all the bytes ingest allocated in the full benchmark's profile, for
            // answers of a few hundred bytes. Large answers (blocklist snapshots) are copied in more rounds.
            config.http.responseBufferSize = RESPONSE_COPY_BUFFER_BYTES;
            config.routes.get("/health/live", ctx -> answer(ctx, serviceName, health.livenessChecks()));
            config.routes.get("/health/ready", ctx -> answer(ctx, serviceName, health.readinessChecks()));
            config.routes.get("/health", ctx -> answer(ctx, serviceName, health.readinessChecks()));
            config.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
            HttpProblems.register(config);
            ApiDocs.register(config, serviceName);
            routes.accept(config);
            config.routes.after(ctx -> readUnreadBody(ctx, config.http.maxRequestSize));
        });
        app.start(port);
        return new ServiceHttpServer(app);
    }

    private static void answer(Context ctx, String serviceName, Map<String, HealthCheck> checks) {
        Map<String, Object> results = new LinkedHashMap<>();
        boolean allUp = true;
        for (var entry : checks.entrySet()) {
            HealthCheck.Status status = entry.getValue().check();
            allUp &= status.up();
            results.put(entry.getKey(), Map.of("up", status.up(), "detail", status.detail()));
        }
        ctx.status(allUp ? 200 : 503).json(Map.of(
                "service", serviceName, "status", allUp ? "UP" : "DOWN", "checks", results));
    }

    /**
     * A rejection (401, 403, 404, 413 of a single report...) is often decided before the body is read. Jetty then
     * closes the connection with the rest of the body unread, the kernel answers the bytes still arriving with a
     * reset, and the reset can destroy the answer before the client has read it: the client sees "connection reset"
     * instead of its 401 (RFC 9112 9.6; the fuzzer saw it for 80 KB and 220 KB bodies). So what is left of a body the
     * server would take is read before the answer goes out; a body announced larger than that is left to the close.
     */
    private static void readUnreadBody(Context ctx, long limit) {
        long announced = ctx.req().getContentLengthLong();
        boolean hasBody = announced > 0 || announced < 0 && ctx.header("Transfer-Encoding") != null;
        if (!hasBody || announced > limit || ctx.req().isAsyncStarted()) {
            return;
        }
        byte[] buffer = new byte[8192];
        try {
            InputStream body = ctx.req().getInputStream();
            long left = limit;
            for (int n = 0; n >= 0 && left > 0; n = body.read(buffer, 0, (int) Math.min(buffer.length, left))) {
                left -= n;
            }
        } catch (IOException | RuntimeException broken) {
            // A body the client broke off or lied about: nothing to save, Jetty closes the connection.
        }
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
