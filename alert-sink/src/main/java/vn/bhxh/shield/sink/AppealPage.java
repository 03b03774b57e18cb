package vn.bhxh.shield.sink;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.schema.Appeal;
import vn.bhxh.shield.sink.Appeals.FieldError;

/**
 * The owners' public page, in Vietnamese and without sign-in: {@code GET /khieu-nai} (the form and the status
 * check), {@code POST /api/v1/appeals} (an appeal; answered with its receipt id) and
 * {@code GET /api/v1/appeals/{receipt}} (its outcome). An appeal is taken only for an indicator partners see listed
 * now; for anything else every answer is the same sentence, so the page tells no more than whether a thing is
 * blocked, which its owner knows anyway. Appeals are rate limited per client address.
 *
 * <p>No cookie, no session: a post only creates an appeal. Cross-site posts are refused all the same: the API takes
 * only {@code Content-Type: application/json}, which a page of another site cannot send without a CORS preflight that
 * this server never grants, and a browser's {@code Sec-Fetch-Site: cross-site} is refused outright.
 */
final class AppealPage {

    static final String PAGE = "/khieu-nai";
    private static final String API = "/api/v1/appeals";
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'";

    private final AppealBook book;
    private final BlocklistView blocklist;
    private final AppealSeal seal;
    private final Producer<String, Appeal> producer;
    private final String topic;
    private final ClientRateLimit limit;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final Normaliser normaliser = new Normaliser();
    private final SecureRandom random = new SecureRandom();
    private final String page = Resources.text("appeal.html");
    private final String script = Resources.text("appeal.js");

    AppealPage(AppealBook book, BlocklistView blocklist, AppealSeal seal, Producer<String, Appeal> producer,
               String topic, ClientRateLimit limit, Clock clock, MeterRegistry metrics) {
        this.book = book;
        this.blocklist = blocklist;
        this.seal = seal;
        this.producer = producer;
        this.topic = topic;
        this.limit = limit;
        this.clock = clock;
        this.metrics = metrics;
    }

    void register(JavalinConfig config) {
        config.routes.get(PAGE, ctx -> ctx.header("Content-Security-Policy", POLICY)
                .header("Referrer-Policy", "no-referrer").html(page));
        config.routes.get("/appeal.js", ctx -> ctx.contentType("text/javascript; charset=utf-8").result(script));
        config.routes.post(API, this::submit);
        // Every answer to an appeal, by status: 201 taken, 422 not listed, 429 limited, 400 malformed.
        config.routes.after(API, ctx -> {
            if (ctx.method() == HandlerType.POST) {
                metrics.counter("bhxh_sink_appeals", "status", Integer.toString(ctx.statusCode())).increment();
            }
        });
        // A wildcard, not {receipt}: Javalin decodes a path parameter before any handler runs and answers 500 to a
        // broken escape such as %u0041 (found by fuzzing); the raw path is read here instead.
        config.routes.get(API + "/*", this::status);
    }

    private void submit(Context ctx) throws InterruptedException {
        ctx.header("Cache-Control", "no-store");
        if ("cross-site".equals(ctx.header("Sec-Fetch-Site"))) {
            ProblemJson.send(ctx, 403, "CROSS_SITE", "Yêu cầu phải gửi từ trang khiếu nại của BHXH.");
            return;
        }
        // The raw header: Jetty's parsed one throws on a charset it does not know (found by fuzzing: a 500).
        String type = ctx.header("Content-Type") == null ? "" : ctx.header("Content-Type").toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json")) {
            ProblemJson.send(ctx, 415, "JSON_REQUIRED", "Yêu cầu phải gửi dạng JSON từ trang khiếu nại.");
            return;
        }
        JsonNode body = jsonBody(ctx);
        if (body == null || !body.isObject()) {
            ProblemJson.send(ctx, 400, "UNREADABLE", "Không đọc được yêu cầu, hãy tải lại trang và gửi lại.");
            return;
        }
        Appeals.Checked checked = Appeals.check(normaliser, text(body, "indicator"), text(body, Appeals.CONTACT),
                text(body, Appeals.EXPLANATION));
        if (checked instanceof Appeals.Invalid invalid) {
            ProblemJson.send(ctx, 400, "VALIDATION_FAILED", "Thông tin chưa hợp lệ, xem từng mục.", invalid.errors());
            return;
        }
        Appeals.Request request = ((Appeals.Valid) checked).request();
        // Before the limit: an owner who retries while the sink starts must not spend their requests of the hour.
        if (!blocklist.loaded() || !book.loaded()) {
            ctx.header("Retry-After", "5");
            ProblemJson.send(ctx, 503, "LOADING", "Hệ thống đang khởi động, vui lòng thử lại sau ít giây.");
            return;
        }
        // Counted once the form is right, so a typo costs no wait; every question about a listing is counted.
        if (!limit.tryAcquire(ctx.ip())) {
            long minutes = Math.max(1, (limit.interval().toSeconds() + 59) / 60);
            ctx.header("Retry-After", Long.toString(Math.max(1, limit.interval().toSeconds())));
            ProblemJson.send(ctx, 429, "TOO_MANY_REQUESTS", "Bạn vừa gửi yêu cầu. Vui lòng thử lại sau " + minutes
                    + " phút.");
            return;
        }
        if (blocklist.listing(request.indicator().key()).isEmpty()) {
            ProblemJson.send(ctx, 422, "NOT_LISTED", Appeals.NOT_LISTED,
                    List.of(new FieldError("indicator", Appeals.NOT_LISTED)));
            return;
        }
        String id = Appeals.newId(random);
        Appeal appeal = Appeals.open(id, request.indicator(),
                ByteBuffer.wrap(seal.seal(request.contact(), Appeals.CONTACT, id)),
                ByteBuffer.wrap(seal.seal(request.explanation(), Appeals.EXPLANATION, id)), clock.instant());
        try {
            producer.send(new ProducerRecord<>(topic, id, appeal)).get();
        } catch (ExecutionException e) {
            ctx.header("Retry-After", "5");
            ProblemJson.send(ctx, 503, "UNAVAILABLE", "Chưa ghi nhận được yêu cầu, vui lòng thử lại sau ít giây.");
            return;
        }
        book.apply(appeal);
        ctx.header("Location", API + "/" + id);
        ctx.status(201).contentType("application/json; charset=utf-8").result(SinkJson.write(outcome(appeal)));
    }

    private void status(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        String receipt = ctx.path().substring(API.length() + 1);
        Optional<Appeal> appeal = Appeals.wellFormedId(receipt) ? book.find(receipt) : Optional.empty();
        if (appeal.isEmpty()) {
            ProblemJson.send(ctx, 404, "NO_SUCH_RECEIPT", "Không tìm thấy yêu cầu với mã này. Hãy kiểm tra lại mã "
                    + "biên nhận (phân biệt chữ hoa, chữ thường).");
            return;
        }
        ctx.contentType("application/json; charset=utf-8").result(SinkJson.write(outcome(appeal.get())));
    }

    /** What the owner sees: never the officer's name, only the outcome and its reason. */
    private static Map<String, Object> outcome(Appeal appeal) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("receipt", appeal.getAppealId());
        json.put("indicator", appeal.getIndicator());
        json.put("display", SinkJson.display(appeal.getIndicator()));
        json.put("status", appeal.getStatus().name());
        json.put("statusText", Appeals.statusText(appeal.getStatus()));
        json.put("submittedAt", appeal.getSubmittedAt());
        json.put("decidedAt", appeal.getDecidedAt());
        json.put("reason", appeal.getDecisionReason());
        return json;
    }

    /**
     * The body as JSON, or null when it is none. Read from its bytes: JSON is UTF-8 (RFC 8259), whatever charset
     * the Content-Type claims, and a charset the JDK does not know must not make a 500.
     */
    static JsonNode jsonBody(Context ctx) {
        try {
            return SinkJson.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (Exception unreadable) {
            return null;
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
