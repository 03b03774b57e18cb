package vn.bhxh.shield.ingest.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.ingest.intake.IdempotencyKeyReusedException;
import vn.bhxh.shield.ingest.intake.KafkaUnavailableException;
import vn.bhxh.shield.ingest.security.ApiClient;
import vn.bhxh.shield.ingest.security.Role;
import vn.bhxh.shield.runtime.CorrelationId;

/**
 * What every intake endpoint shares: a correlation id, authentication and rate limiting, problems rendered as
 * problem+json with the right status and Retry-After, and a count per endpoint and outcome. Request bodies are never logged:
 * they hold the reporter's identity.
 */
final class Endpoints {

    private static final Logger log = LoggerFactory.getLogger(Endpoints.class);
    private static final String CORRELATION_ID = "bhxh.correlationId";
    static final int KAFKA_RETRY_AFTER_SECONDS = 5;

    private final Access access;
    private final RateLimits rateLimits;
    private final RequestMetrics metrics;

    Endpoints(Access access, RateLimits rateLimits, RequestMetrics metrics) {
        this.access = access;
        this.rateLimits = rateLimits;
        this.metrics = metrics;
    }

    /** The caller, if one of {@code roles}, with one permit of its rate limit taken. */
    ApiClient authorise(Context ctx, Set<Role> roles) {
        ApiClient client = access.require(ctx, roles);
        rateLimits.acquire("client:" + client.name());
        return client;
    }

    /** For endpoints open to anyone (sign-in, webhook): limited by address. */
    void limitByAddress(Context ctx) {
        rateLimits.acquire("ip:" + ctx.ip());
    }

    /**
     * The request's correlation id (the caller's {@code X-Correlation-Id} or {@code X-Request-Id} when it is safe,
     * else a new one) is answered in both headers and is in the MDC of every log line the request causes.
     */
    @SuppressWarnings("try") // the MDC scope is used by being open
    Handler metered(String endpoint, Handler handler) {
        return ctx -> {
            String correlationId = CorrelationId.acceptOrCreate(ctx.header(CorrelationId.HTTP_HEADER),
                    ctx.header(CorrelationId.REQUEST_ID_HEADER));
            ctx.attribute(CORRELATION_ID, correlationId);
            ctx.header(CorrelationId.HTTP_HEADER, correlationId).header(CorrelationId.REQUEST_ID_HEADER, correlationId);
            try (var logs = CorrelationId.inLogs(correlationId)) {
                handle(endpoint, handler, ctx);
            }
        };
    }

    /** The id {@link #metered} gave this request, for the reports it writes. */
    static String correlationId(Context ctx) {
        return ctx.attribute(CORRELATION_ID);
    }

    private void handle(String endpoint, Handler handler, Context ctx) throws Exception {
        try {
            handler.handle(ctx);
        } catch (ApiProblem problem) {
            problem.render(ctx);
        } catch (KafkaUnavailableException e) {
            log.warn("{}: {}", endpoint, e.getMessage());
            ApiProblem.unavailable(KAFKA_RETRY_AFTER_SECONDS).render(ctx);
        } catch (IdempotencyKeyReusedException e) {
            ApiProblem.of(422, "IDEMPOTENCY_KEY_REUSED",
                    "Idempotency-Key này đã được dùng cho một yêu cầu khác.").render(ctx);
        } catch (IOException | ServletException e) {
            // The client broke off or lied about the body (early EOF, a bad chunk, a short Content-Length), or
            // sent a form that is not one (a multipart Content-Type over a body without parts).
            ApiProblem.of(400, "BODY_UNREADABLE", "Không đọc được nội dung gửi lên.").render(ctx);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            ApiProblem.of(415, "UNSUPPORTED_CHARSET",
                    "Bảng mã trong Content-Type không được hỗ trợ, hãy dùng UTF-8.").render(ctx);
        }
        metrics.count(endpoint, ctx.statusCode());
    }
}
