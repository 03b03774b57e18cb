package vn.bhxh.shield.sink;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import vn.bhxh.shield.schema.Appeal;
import vn.bhxh.shield.schema.AppealStatus;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.sink.DashboardUsers.Session;

/**
 * Owners' appeals as review items of the national board, for national accounts only (the appellant's contact is
 * personal data): {@code GET /api/v1/dashboard/appeals} (open appeals with how the indicator is listed now, the
 * explanation and the contact, unsealed here and nowhere else), live by server-sent events
 * ({@code /api/v1/dashboard/appeals/events}), and the officer's answer
 * ({@code POST /api/v1/dashboard/appeals/{id}/decision}, {@code {"action":"DELIST"|"KEEP","reason":...}}).
 * Signed in and CSRF-checked exactly as the rest of the dashboard.
 *
 * <p>An answer writes the {@link Decision} (with the appeal's id) to the decisions topic first, then the decided
 * appeal: the processor lifts a DELIST's listing whatever happens after, and an appeal is never shown decided before
 * its decision exists. If the second write fails the appeal stays open and the officer is asked to retry; the retry
 * writes a second decision, which the processor takes as a no-op (the listing is already lifted) and the audit shows.
 */
final class AppealReview {

    // The dashboard's own cookie and header (Dashboard): the same session and CSRF token work here.
    private static final String SESSION_COOKIE = "bhxh_session";
    private static final String CSRF_HEADER = "X-CSRF-Token";
    static final String API = "/api/v1/dashboard/appeals";
    private static final String DECISION = "/decision";
    /** The appeals page's one live event: the open appeals, whole, each time one arrives or is decided. */
    private static final String EVENT = "appeals";
    private static final String SCOPE = "national";

    private final DashboardUsers users;
    private final AppealBook book;
    private final BlocklistView blocklist;
    private final AppealSeal seal;
    private final Producer<String, Decision> decisions;
    private final String decisionsTopic;
    private final Producer<String, Appeal> appeals;
    private final String appealsTopic;
    private final Clock clock;
    private final MeterRegistry metrics;
    /** The national boards' live streams, all of one scope: only national accounts review appeals. */
    private final LiveStreams boards = new LiveStreams();
    private final String script = Resources.text("appeals.js");

    AppealReview(DashboardUsers users, AppealBook book, BlocklistView blocklist, AppealSeal seal,
                 Producer<String, Decision> decisions, String decisionsTopic, Producer<String, Appeal> appeals,
                 String appealsTopic, Clock clock, MeterRegistry metrics) {
        this.users = users;
        this.book = book;
        this.blocklist = blocklist;
        this.seal = seal;
        this.decisions = decisions;
        this.decisionsTopic = decisionsTopic;
        this.appeals = appeals;
        this.appealsTopic = appealsTopic;
        this.clock = clock;
        this.metrics = metrics;
        book.onChange(this::broadcast);
    }

    void register(JavalinConfig config) {
        config.routes.get("/appeals.js", ctx -> ctx.contentType("text/javascript; charset=utf-8").result(script));
        // Before any of them runs, so a province account's live stream is refused before it starts.
        config.routes.before(API, this::nationalOnly);
        config.routes.before(API + "/*", this::nationalOnly);
        config.routes.get(API, ctx -> ctx.header("Cache-Control", "no-store")
                .contentType("application/json; charset=utf-8").result(SinkJson.write(openItems())));
        // <id>/decision read from the raw path, as the owner's receipt is (AppealPage): no 500 for a broken escape.
        config.routes.post(API + "/*", this::decide);
        config.routes.sse(API + "/events", client -> boards.open(SCOPE, client, EVENT, SinkJson.write(openItems())));
        boards.register(config);
    }

    private void decide(Context ctx) throws InterruptedException {
        ctx.header("Cache-Control", "no-store");
        Session session = session(ctx);
        if (!users.csrfValid(ctx.cookie(SESSION_COOKIE), ctx.header(CSRF_HEADER))) {
            ProblemJson.send(ctx, 403, "CSRF", "Thiếu hoặc sai mã chống giả mạo (CSRF): hãy tải lại trang.");
            return;
        }
        JsonNode body = AppealPage.jsonBody(ctx);
        String action = body == null ? "" : body.path("action").asText("");
        String reason = body == null ? null : body.path("reason").isTextual() ? body.get("reason").asText() : null;
        if (!action.equals("DELIST") && !action.equals("KEEP")) {
            ProblemJson.send(ctx, 400, "VALIDATION_FAILED", "Chọn Gỡ khỏi danh sách hoặc Giữ nguyên.",
                    List.of(new Appeals.FieldError("action", "Chọn Gỡ khỏi danh sách hoặc Giữ nguyên.")));
            return;
        }
        Optional<String> reasonProblem = Appeals.reasonProblem(reason);
        if (reasonProblem.isPresent()) {
            ProblemJson.send(ctx, 400, "VALIDATION_FAILED", reasonProblem.get(),
                    List.of(new Appeals.FieldError("reason", reasonProblem.get())));
            return;
        }
        // One answer at a time on this instance, so a double click cannot write two decisions; the decided appeal is
        // held at once, before it is read back.
        synchronized (this) {
            String target = ctx.path().substring(API.length() + 1);
            Optional<Appeal> appeal = target.endsWith(DECISION)
                    ? book.find(target.substring(0, target.length() - DECISION.length())) : Optional.empty();
            if (appeal.isEmpty()) {
                ProblemJson.send(ctx, 404, "NO_SUCH_APPEAL", "Không có khiếu nại này.");
                return;
            }
            if (appeal.get().getStatus() != AppealStatus.OPEN) {
                ProblemJson.send(ctx, 409, "ALREADY_DECIDED", "Khiếu nại này đã được quyết định.");
                return;
            }
            Decision decision = Appeals.decision(appeal.get(), DecisionAction.valueOf(action), session.user().name(),
                    reason, UUID.randomUUID().toString(), clock.instant());
            Appeal decided = Appeals.decided(appeal.get(), decision);
            try {
                decisions.send(new ProducerRecord<>(decisionsTopic, decision.getIndicator(), decision)).get();
                appeals.send(new ProducerRecord<>(appealsTopic, decided.getAppealId(), decided)).get();
            } catch (ExecutionException e) {
                ctx.header("Retry-After", "5");
                ProblemJson.send(ctx, 503, "UNAVAILABLE", "Chưa ghi được quyết định, hãy thử lại.");
                return;
            }
            book.apply(decided);
            metrics.counter("bhxh_sink_appeal_decisions", "action", action).increment();
            ctx.status(202).contentType("application/json; charset=utf-8").result(SinkJson.write(Map.of(
                    "decisionId", decision.getDecisionId(), "status", decided.getStatus().name())));
        }
    }

    /** 401 without a session, 403 for a province account: the appellant's contact is for national accounts only. */
    private void nationalOnly(Context ctx) {
        Optional<Session> session = users.session(ctx.cookie(SESSION_COOKIE));
        if (session.isEmpty()) {
            ProblemJson.send(ctx, 401, "SIGN_IN", "Đăng nhập trước.");
            ctx.skipRemainingHandlers();
        } else if (!session.get().user().scope().equals(Webhook.NATIONAL)) {
            ProblemJson.send(ctx, 403, "NATIONAL_ONLY", "Chỉ tài khoản cấp quốc gia xem và quyết định khiếu nại.");
            ctx.skipRemainingHandlers();
        }
    }

    private Session session(Context ctx) {
        return users.session(ctx.cookie(SESSION_COOKIE)).orElseThrow(SinkProblem::unauthorized);
    }

    private List<Map<String, Object>> openItems() {
        return book.open().stream().map(this::item).toList();
    }

    private Map<String, Object> item(Appeal appeal) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("appealId", appeal.getAppealId());
        json.put("indicator", appeal.getIndicator());
        json.put("display", SinkJson.display(appeal.getIndicator()));
        json.put("kind", appeal.getKind().name());
        json.put("submittedAt", appeal.getSubmittedAt());
        // Empty if sealed under a key this instance no longer holds: shown as unreadable, never guessed.
        json.put("contact", seal.open(appeal.getSealedContact(), Appeals.CONTACT, appeal.getAppealId()).orElse(null));
        json.put("explanation",
                seal.open(appeal.getSealedExplanation(), Appeals.EXPLANATION, appeal.getAppealId()).orElse(null));
        json.put("listing", blocklist.listing(appeal.getIndicator()).map(AppealReview::listing).orElse(null));
        return json;
    }

    private static Map<String, Object> listing(BlocklistEntry entry) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", entry.getStatus().name());
        json.put("reasonCode", entry.getReasonCode().name());
        json.put("reason", entry.getReason());
        json.put("listedAt", entry.getListedAt());
        json.put("expiresAt", entry.getExpiresAt());
        return json;
    }

    private void broadcast() {
        if (boards.count() > 0) {
            boards.send(SCOPE, EVENT, SinkJson.write(openItems()));
        }
    }
}
