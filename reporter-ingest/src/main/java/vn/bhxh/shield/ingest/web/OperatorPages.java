package vn.bhxh.shield.ingest.web;

import com.google.common.html.HtmlEscapers;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import vn.bhxh.shield.ingest.security.ApiClient;
import vn.bhxh.shield.ingest.security.Authenticator;
import vn.bhxh.shield.ingest.security.Role;
import vn.bhxh.shield.province.Provinces;

/**
 * The people's pages: sign-in with an operator's or a police unit's token (sets an HttpOnly, SameSite=Strict
 * session cookie), then the hotline operator's report form or the police unit's CSV upload, server-rendered;
 * {@code form.js} and {@code police.js} talk to the JSON API with the session and the CSRF token from the page. Every string that reaches HTML goes through the HTML escaper; the script only ever
 * sets {@code textContent}.
 */
final class OperatorPages {

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** Who signs in to a page: fanpage tokens belong to a machine (the webhook), never to a person. */
    private static final Set<Role> PEOPLE = Set.of(Role.OPERATOR, Role.POLICE);

    private final Endpoints endpoints;
    private final Authenticator authenticator;
    private final boolean secureCookie;
    private final String formTemplate = resource("form.html");
    private final String policeTemplate = resource("police.html");
    private final String policeScript = resource("police.js");
    private final String csvTemplate = resource("mau-chuyen-giao.csv");
    private final String signInTemplate = resource("sign-in.html");
    private final String script = resource("form.js");
    private final String styles = resource("form.css");

    OperatorPages(Endpoints endpoints, Authenticator authenticator, boolean secureCookie) {
        this.endpoints = endpoints;
        this.authenticator = authenticator;
        this.secureCookie = secureCookie;
    }

    void register(JavalinConfig config) {
        config.routes.get("/", this::page);
        config.routes.post("/session", endpoints.metered("session", this::signIn));
        config.routes.post("/session/end", endpoints.metered("session-end", this::signOut));
        config.routes.get("/static/form.js", ctx -> ctx.contentType("text/javascript; charset=utf-8").result(script));
        config.routes.get("/static/form.css", ctx -> ctx.contentType("text/css; charset=utf-8").result(styles));
        config.routes.get("/static/police.js", ctx -> ctx.contentType("text/javascript; charset=utf-8")
                .result(policeScript));
        // With a BOM, so that a spreadsheet opens the Vietnamese of the example as UTF-8.
        config.routes.get("/static/mau-chuyen-giao.csv", ctx -> ctx.contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"mau-chuyen-giao.csv\"")
                .result("\uFEFF" + csvTemplate));
    }

    private void page(Context ctx) {
        secureHeaders(ctx);
        String session = ctx.cookie(Access.SESSION_COOKIE);
        Optional<ApiClient> operator = authenticator.session(session);
        if (operator.isEmpty()) {
            ctx.html(signInTemplate.replace("{{error}}", ""));
            return;
        }
        if (operator.get().role() == Role.POLICE) {
            ctx.html(policeTemplate
                    .replace("{{operator}}", escape(operator.get().name()))
                    .replace("{{csrf}}", escape(authenticator.csrfToken(session))));
            return;
        }
        StringBuilder provinces = new StringBuilder();
        Provinces.all().forEach(p -> provinces.append("<option value=\"").append(escape(p.name())).append("\">"));
        ctx.html(formTemplate
                .replace("{{operator}}", escape(operator.get().name()))
                .replace("{{csrf}}", escape(authenticator.csrfToken(session)))
                .replace("{{provinces}}", provinces));
    }

    /**
     * Clears the cookie (nothing is stored to end). A valid session needs its CSRF token, from the header or the
     * form's hidden field, so another site cannot sign an operator out.
     */
    private void signOut(Context ctx) {
        String session = ctx.cookie(Access.SESSION_COOKIE);
        String csrf = ctx.header(Access.CSRF_HEADER) != null ? ctx.header(Access.CSRF_HEADER) : ctx.formParam("csrf");
        if (authenticator.session(session).isPresent() && !authenticator.csrfValid(session, csrf)) {
            throw ApiProblem.of(403, "CSRF_TOKEN_INVALID", "Phiên làm việc không hợp lệ, hãy tải lại trang.");
        }
        ctx.header("Set-Cookie", cookie("", 0));
        ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void signIn(Context ctx) {
        endpoints.limitByAddress(ctx);
        secureHeaders(ctx);
        Optional<ApiClient> client = authenticator.token(ctx.formParam("token"))
                .filter(c -> PEOPLE.contains(c.role()));
        if (client.isEmpty()) {
            ctx.status(401).html(signInTemplate.replace("{{error}}",
                    "<p class=\"error\" role=\"alert\">Mã đăng nhập không đúng, hoặc không phải tài khoản tổng đài viên "
                    + "hay đơn vị công an.</p>"));
            return;
        }
        ctx.header("Set-Cookie", cookie(authenticator.issueSession(client.get()),
                Authenticator.SESSION_LENGTH.toSeconds()));
        ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private String cookie(String value, long maxAgeSeconds) {
        return Access.SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (secureCookie ? "; Secure" : "");
    }

    private static void secureHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    static String escape(String text) {
        return HtmlEscapers.htmlEscaper().escape(text);
    }

    private static String resource(String name) {
        try (InputStream in = OperatorPages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
