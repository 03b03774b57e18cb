package vn.bhxh.shield.ingest.web;

import io.javalin.http.Context;
import java.util.Set;
import vn.bhxh.shield.ingest.security.ApiClient;
import vn.bhxh.shield.ingest.security.Authenticator;
import vn.bhxh.shield.ingest.security.Role;

/**
 * Who may call what: a bearer token, or an operator's browser session whose state-changing requests carry the
 * CSRF token in {@code X-CSRF-Token}. 401 when nobody is recognised, 403 when the role may not use the endpoint.
 */
final class Access {

    static final String SESSION_COOKIE = "bhxh_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String CLIENT = "bhxh.client";

    private final Authenticator authenticator;

    Access(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    ApiClient require(Context ctx, Set<Role> allowed) {
        ApiClient client = identify(ctx);
        if (!allowed.contains(client.role())) {
            throw ApiProblem.of(403, "FORBIDDEN", "Tài khoản này không được dùng chức năng này.");
        }
        ctx.attribute(CLIENT, client);
        return client;
    }

    /** The client already identified for this request, for rate limits and metrics; null before. */
    static ApiClient identified(Context ctx) {
        return ctx.attribute(CLIENT);
    }

    private ApiClient identify(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            return authenticator.bearer(authorization).orElseThrow(Access::unauthorized);
        }
        String session = ctx.cookie(SESSION_COOKIE);
        ApiClient client = authenticator.session(session).orElseThrow(Access::unauthorized);
        boolean safe = ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD");
        if (!safe && !authenticator.csrfValid(session, ctx.header(CSRF_HEADER))) {
            throw ApiProblem.of(403, "CSRF_TOKEN_INVALID", "Phiên làm việc không hợp lệ, hãy tải lại trang.");
        }
        return client;
    }

    private static ApiProblem unauthorized() {
        return ApiProblem.of(401, "UNAUTHORIZED", "Cần đăng nhập hoặc mã truy cập (Bearer token) hợp lệ.");
    }
}
