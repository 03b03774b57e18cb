package vn.bhxh.shield.ingest.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.runtime.HttpProblem;
import vn.bhxh.shield.ingest.intake.IdempotencyKeyReusedException;
import vn.bhxh.shield.ingest.intake.KafkaUnavailableException;
import vn.bhxh.shield.ingest.intake.ReportIntake;
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
    private static final String OUTCOMES = "bhxh.outcomes";
    private static final String ANSWERED_LATER = "bhxh.answeredLater";
    private static final String JSON = "application/json; charset=utf-8";
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
        RequestMetrics.Outcomes outcomes = metrics.of(endpoint);
        return ctx -> {
            String correlationId = CorrelationId.acceptOrCreate(ctx.header(CorrelationId.HTTP_HEADER),
                    ctx.header(CorrelationId.REQUEST_ID_HEADER));
            ctx.attribute(CORRELATION_ID, correlationId);
            ctx.attribute(OUTCOMES, new Metered(endpoint, outcomes));
            ctx.header(CorrelationId.HTTP_HEADER, correlationId).header(CorrelationId.REQUEST_ID_HEADER, correlationId);
            try (var logs = CorrelationId.inLogs(correlationId)) {
                handle(handler, ctx);
            }
        };
    }

    /**
     * Answers with the outcome once {@code outcome} completes (for reports: once Kafka committed them), rendering its
     * failure as the synchronous path would; the request holds no server thread meanwhile.
     */
    @SuppressWarnings("try") // the MDC scope is used by being open
    static void answerWhenDone(Context ctx, CompletableFuture<ReportIntake.Outcome> outcome) {
        Metered metered = ctx.attribute(OUTCOMES);
        String correlationId = correlationId(ctx);
        ctx.attribute(ANSWERED_LATER, true);
        ctx.future(() -> outcome.handle((answer, failure) -> {
            try (var logs = CorrelationId.inLogs(correlationId)) {
                if (failure == null) {
                    // A stored refusal replayed (a police batch with no valid row) is a problem like any other.
                    ctx.status(answer.status()).result(answer.body())
                            .contentType(answer.status() >= 400 ? HttpProblem.CONTENT_TYPE : JSON);
                } else if (!renderProblem(metered.endpoint(), ctx, failure instanceof CompletionException
                        && failure.getCause() != null ? failure.getCause() : failure)) {
                    metered.outcomes().count(500);
                    throw failure instanceof CompletionException completion ? completion
                            : new CompletionException(failure); // to Javalin's exception handlers, as a 500
                }
            }
            metered.outcomes().count(ctx.statusCode());
            return null;
        }));
    }

    /** The id {@link #metered} gave this request, for the reports it writes. */
    static String correlationId(Context ctx) {
        return ctx.attribute(CORRELATION_ID);
    }

    private void handle(Handler handler, Context ctx) throws Exception {
        Metered metered = ctx.attribute(OUTCOMES);
        try {
            handler.handle(ctx);
        } catch (Exception e) {
            if (!renderProblem(metered.endpoint(), ctx, e)) {
                throw e;
            }
        }
        if (ctx.attribute(ANSWERED_LATER) == null) {
            metered.outcomes().count(ctx.statusCode());
        }
    }

    /** Renders what a request's handling threw, when it is a problem with an answer; false for anything else. */
    private static boolean renderProblem(String endpoint, Context ctx, Throwable thrown) {
        if (thrown instanceof ApiProblem problem) {
            problem.render(ctx);
        } else if (thrown instanceof KafkaUnavailableException) {
            log.warn("{}: {}", endpoint, thrown.getMessage());
            ApiProblem.unavailable(KAFKA_RETRY_AFTER_SECONDS).render(ctx);
        } else if (thrown instanceof IdempotencyKeyReusedException) {
            ApiProblem.of(422, "IDEMPOTENCY_KEY_REUSED",
                    "Idempotency-Key này đã được dùng cho một yêu cầu khác.").render(ctx);
        } else if (thrown instanceof IOException || thrown instanceof ServletException) {
            // The client broke off or lied about the body (early EOF, a bad chunk, a short Content-Length), or
            // sent a form that is not one (a multipart Content-Type over a body without parts).
            ApiProblem.of(400, "BODY_UNREADABLE", "Không đọc được nội dung gửi lên.").render(ctx);
        } else if (thrown instanceof IllegalCharsetNameException || thrown instanceof UnsupportedCharsetException) {
            ApiProblem.of(415, "UNSUPPORTED_CHARSET",
                    "Bảng mã trong Content-Type không được hỗ trợ, hãy dùng UTF-8.").render(ctx);
        } else {
            return false;
        }
        return true;
    }

    /** An endpoint's name and counters, kept on its requests for when they are answered. */
    private record Metered(String endpoint, RequestMetrics.Outcomes outcomes) {
    }
}
