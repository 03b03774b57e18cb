package vn.bhxh.shield.runtime;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
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
 * service adds its own routes through {@code routes}. Every answer reaches its client even when it was decided before
 * the body was read, and one after which the server closes the connection says so.
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
            config.routes.after(ctx -> finishReadingBody(ctx, config.http.maxRequestSize));
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
     * server would take is read before the answer goes out.
     * <p>
     * When the connection is closed after the answer all the same, the answer must say so ({@code Connection:
     * close}, RFC 9112 9.6), or the client takes the connection for kept alive, puts it back in its pool, and its next
     * request goes into a closed socket: a well-formed request that gets no answer (one cause of IngestFuzzIT's flake).
     * Jetty adds the header itself for a body it finds unread when the answer is committed, but not for these two:
     * <ul>
     *   <li>a multipart body that is not one (the sign-in forms are read with {@code ctx.formParam}, and the fuzzer's
     *       {@code Content-Type: multipart/form-data; boundary=x}): once Jetty's multipart parser has failed on it,
     *       Jetty closes the connection after the answer, every time. No route takes multipart bodies;</li>
     *   <li>a form over Jetty's form limit (a 1.1 MB sign-in token): the parser gives up with the rest unread.</li>
     * </ul>
     * So both, and any body over the limit or broken off, are answered with {@code Connection: close}.
     * <p>
     * An answer given later ({@code ctx.future}) comes from a handler that read the whole body before it went
     * asynchronous; this runs on the thread that completed it, which must not wait for a client.
     */
    private static void finishReadingBody(Context ctx, long limit) {
        long announced = ctx.req().getContentLengthLong();
        boolean hasBody = announced > 0 || announced < 0 && ctx.header(Header.TRANSFER_ENCODING) != null;
        if (!hasBody || ctx.req().isAsyncStarted()) {
            return;
        }
        if (announced > limit || multipart(ctx) || !readToEnd(ctx, limit)) {
            ctx.header(Header.CONNECTION, "close");
        }
    }

    private static boolean multipart(Context ctx) {
        String type = ctx.header(Header.CONTENT_TYPE);
        return type != null && type.strip().regionMatches(true, 0, "multipart/", 0, "multipart/".length());
    }

    /** Reads and drops what is left of the request's body, at most {@code limit} bytes: whether its end came. */
    private static boolean readToEnd(Context ctx, long limit) {
        byte[] buffer = new byte[8192];
        try {
            InputStream body = ctx.req().getInputStream();
            // One byte more than the limit tells a body that ends there from one that goes on.
            for (long left = limit + 1; left > 0; ) {
                int n = body.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return true;
                }
                left -= n;
            }
            return false;
        } catch (IOException | RuntimeException broken) {
            return false; // a body the client broke off or lied about (early EOF, a bad chunk)
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
