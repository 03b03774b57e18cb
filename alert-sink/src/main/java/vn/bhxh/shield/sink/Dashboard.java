package vn.bhxh.shield.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.common.base.Ticker;
import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import vn.bhxh.shield.runtime.HttpProblem;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.sink.DashboardUsers.Session;

/**
 * The province dashboard: {@code GET /} (sign-in form, then the page), the alerts of the signed-in office
 * ({@code /api/v1/dashboard/alerts}), live updates by server-sent events ({@code /api/v1/dashboard/events}),
 * acknowledging an alert (a {@link Decision} on the decisions topic; every open dashboard of the office sees it
 * when the sink reads it back), the search box (the processor's lookup API, with a short timeout), and officers'
 * decisions on review items and listings, one indicator or a whole campaign ({@link DecisionsApi}), and for the
 * national account the police evidence export ({@link EvidenceApi}).
 */
final class Dashboard {

    static final String SESSION_COOKIE = "bhxh_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String API = "/api/v1/dashboard";

    private final DashboardUsers users;
    private final LoginThrottle throttle = new LoginThrottle(Ticker.systemTicker());
    private final AlertBoard board;
    private final Producer<String, Decision> decisionProducer;
    private final String decisionsTopic;
    private final ProcessorLookup processor;
    private final DecisionsApi decisions;
    private final EvidenceApi evidence;
    private static final Escaper HTML = HtmlEscapers.htmlEscaper();
    private final String loginPage = Resources.text("login.html");
    private final String dashboardPage = Resources.text("dashboard.html");
    private final String dashboardScript = Resources.text("dashboard.js");
    /** Chart.js from npm, served by the sink itself: an office may have no Internet, only the sink (no CDN). */
    private final String chartScript = Resources.text("vendor/chart.umd.min.js");

    Dashboard(DashboardUsers users, AlertBoard board, Producer<String, Decision> decisionProducer,
              String decisionsTopic, CampaignWriter campaigns, URI processorUrl) {
        this.users = users;
        this.board = board;
        this.decisionProducer = decisionProducer;
        this.decisionsTopic = decisionsTopic;
        this.processor = new ProcessorLookup(processorUrl);
        this.decisions = new DecisionsApi(users, processor, decisionProducer, decisionsTopic, campaigns);
        this.evidence = new EvidenceApi(users, processor);
    }

    void register(JavalinConfig config) {
        config.routes.get("/", this::page);
        // The page's script is a file of its own, so the page's policy can refuse every inline script.
        config.routes.get("/dashboard.js", ctx -> ctx.contentType("text/javascript; charset=utf-8")
                .result(dashboardScript));
        config.routes.get("/vendor/chart.umd.min.js", ctx -> ctx.contentType("text/javascript; charset=utf-8")
                .header("Cache-Control", "max-age=86400").result(chartScript));
        config.routes.post("/login", this::signIn);
        config.routes.post("/logout", this::signOut);
        config.routes.before(API + "/*", ctx -> session(ctx));
        config.routes.get(API + "/alerts", ctx -> json(ctx, board.recent(session(ctx).user().scope())));
        config.routes.get(API + "/board", ctx -> json(ctx, board.board(session(ctx).user().scope(),
                IndicatorCards.Filter.from(ctx::queryParam))));
        config.routes.get(API + "/board.csv", this::exportCsv);
        config.routes.post(API + "/acknowledge", this::acknowledge);
        config.routes.get(API + "/lookup", this::lookup);
        decisions.register(config);
        evidence.register(config);
        config.routes.sse(API + "/events", client -> board.connect(session(client.ctx()).user().scope(), client));
        board.register(config);
    }

    private void page(Context ctx) {
        ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; "
                + "style-src 'unsafe-inline'; connect-src 'self'");
        users.session(ctx.cookie(SESSION_COOKIE)).ifPresentOrElse(session -> ctx.html(dashboardPage
                        .replace("{{csrf}}", session.csrfToken())
                        .replace("{{scopeSlug}}", HTML.escape(session.user().scope()))
                        .replace("{{user}}", HTML.escape(session.user().name()))
                        .replace("{{scope}}", HTML.escape(AlertBoard.provinceName(session.user().scope())))),
                () -> ctx.html(loginPage.replace("{{error}}", "")));
    }

    private void signIn(Context ctx) {
        String user;
        String password;
        try {
            user = ctx.formParam("user");
            password = ctx.formParam("password");
        } catch (Exception unreadable) {
            // A body the client broke off or lied about, an unknown charset, a multipart type without parts:
            // the client's mistake, answered as one (found by fuzzing: these were 500s).
            ctx.status(HttpStatus.BAD_REQUEST).html(loginPage.replace("{{error}}",
                    "Không đọc được biểu mẫu đăng nhập, hãy thử lại."));
            return;
        }
        String throttled = String.valueOf(user);
        Optional<Duration> wait = throttle.retryAfter(ctx.ip(), throttled);
        if (wait.isPresent()) {
            long seconds = Math.max(1, wait.get().toSeconds());
            ctx.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", Long.toString(seconds))
                    .html(loginPage.replace("{{error}}", "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau "
                            + (seconds + 59) / 60 + " phút."));
            return;
        }
        users.signIn(user, password).ifPresentOrElse(cookie -> {
            ctx.header("Set-Cookie", SESSION_COOKIE + "=" + cookie + "; Path=/; Max-Age="
                    + DashboardUsers.SESSION_LENGTH.toSeconds() + "; HttpOnly; SameSite=Strict");
            ctx.redirect("/", HttpStatus.SEE_OTHER);
        }, () -> {
            throttle.failed(ctx.ip(), throttled);
            ctx.status(HttpStatus.UNAUTHORIZED).html(loginPage.replace("{{error}}", "Sai tên đăng nhập hoặc mật khẩu."));
        });
    }

    /**
     * Clears the browser's cookie; nothing is stored, so a copy of it stays valid until it expires. A valid
     * session needs its CSRF token (the form's hidden field), so another site cannot sign an officer out.
     */
    private void signOut(Context ctx) {
        String cookie = ctx.cookie(SESSION_COOKIE);
        if (users.session(cookie).isPresent() && !users.csrfValid(cookie, csrfTokenOf(ctx))) {
            throw SinkProblem.csrf();
        }
        ctx.header("Set-Cookie", SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        ctx.redirect("/", HttpStatus.SEE_OTHER);
    }

    private void acknowledge(Context ctx) throws InterruptedException {
        Session session = session(ctx);
        // The CSRF token is only in the page, so another site cannot make a signed-in browser send this.
        if (!users.csrfValid(ctx.cookie(SESSION_COOKIE), ctx.header(CSRF_HEADER))) {
            throw SinkProblem.csrf();
        }
        String alertId = ctx.formParam("alertId");
        String indicator = ctx.formParam("indicator");
        String scope = session.user().scope();
        // The decision is filed under the alert's own indicator: an office cannot annotate numbers it has no alert of.
        if (alertId == null || indicator == null
                || board.indicatorOf(scope, alertId).filter(indicator::equals).isEmpty()) {
            throw new SinkProblem(404, "NO_SUCH_ALERT", "Không có cảnh báo này trong phạm vi của bạn.");
        }
        Decision decision = Decision.newBuilder()
                .setDecisionId(UUID.randomUUID().toString())
                .setAction(DecisionAction.ACKNOWLEDGE)
                .setIndicator(indicator)
                .setAlertId(alertId)
                .setActor(session.user().name())
                .setProvince(scope.equals(Webhook.NATIONAL) ? null : scope)
                .setDecidedAt(Instant.now())
                .build();
        try {
            decisionProducer.send(new ProducerRecord<>(decisionsTopic, indicator, decision)).get();
        } catch (ExecutionException e) {
            throw new SinkProblem(503, "UNAVAILABLE", "Chưa ghi được, hãy thử lại.");
        }
        json(ctx.status(HttpStatus.ACCEPTED), Map.of("decisionId", decision.getDecisionId()));
    }

    /** What the board shows with the same filters, as a file an office opens in Excel. */
    private void exportCsv(Context ctx) {
        String scope = session(ctx).user().scope();
        String file = "canh-bao-" + scope + "-" + LocalDate.now(IndicatorCards.VIETNAM) + ".csv";
        ctx.contentType("text/csv; charset=utf-8").header("Content-Disposition", "attachment; filename=\"" + file + "\"")
                .header("Cache-Control", "no-store")
                .result(IndicatorCards.csv(board.cards(scope, IndicatorCards.Filter.from(ctx::queryParam))));
    }

    private void lookup(Context ctx) {
        String indicator = ctx.queryParam("indicator");
        if (indicator == null || indicator.isBlank()) {
            throw new SinkProblem(400, "INDICATOR_REQUIRED", "Nhập số điện thoại, tên miền hoặc tài khoản.");
        }
        try {
            HttpResponse<String> response = processor.status(indicator.strip());
            // The processor's problems (400 not an indicator, 404 no reports yet, 503) are passed on as they are.
            ctx.status(response.statusCode())
                    .contentType(response.statusCode() == 200 ? "application/json; charset=utf-8" : HttpProblem.CONTENT_TYPE)
                    .result(response.statusCode() == 200 ? withoutAcknowledgements(response.body()) : response.body());
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new SinkProblem(503, "LOOKUP_UNAVAILABLE", "Không tra cứu được, hãy thử lại.");
        }
    }

    /**
     * The processor's answer without its ACKNOWLEDGE steps: they name the staff of whichever office acknowledged
     * and so reveal another province's alerts. An office sees its own acknowledgements on its board.
     */
    private static String withoutAcknowledgements(String indicatorStatus) throws IOException {
        JsonNode status = SinkJson.MAPPER.readTree(indicatorStatus);
        if (status.path("audit") instanceof ArrayNode audit) {
            for (int i = audit.size() - 1; i >= 0; i--) {
                if (audit.get(i).path("action").asText().equals(DecisionAction.ACKNOWLEDGE.name())) {
                    audit.remove(i);
                }
            }
        }
        return SinkJson.write(status);
    }

    /** From the script's header, or the sign-out form's hidden field; none from a body that cannot be read. */
    private static String csrfTokenOf(Context ctx) {
        String header = ctx.header(CSRF_HEADER);
        if (header != null) {
            return header;
        }
        try {
            return ctx.formParam("csrf");
        } catch (Exception unreadable) {
            return null;
        }
    }

    private Session session(Context ctx) {
        return users.session(ctx.cookie(SESSION_COOKIE))
                .orElseThrow(SinkProblem::unauthorized);
    }

    private static void json(Context ctx, Object body) {
        ctx.contentType("application/json; charset=utf-8").result(SinkJson.write(body));
    }
}
