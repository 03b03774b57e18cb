package vn.bhxh.shield.sink;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer other than success for people, as RFC 9457 {@code application/problem+json}: {@code status}, a stable
 * {@code code} for scripts and a Vietnamese {@code detail} the page shows as is. Thrown by a handler, rendered by
 * the route that catches it.
 */
final class SinkProblem extends RuntimeException {

    private final int status;
    private final String code;

    SinkProblem(int status, String code, String detailVi) {
        super(detailVi);
        this.status = status;
        this.code = code;
    }

    static SinkProblem unauthorized() {
        return new SinkProblem(401, "UNAUTHORIZED", "Cần đăng nhập trước.");
    }

    static SinkProblem csrf() {
        return new SinkProblem(403, "CSRF_TOKEN_INVALID", "Phiên làm việc không hợp lệ, hãy tải lại trang.");
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    void render(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", code);
        body.put("status", status);
        body.put("code", code);
        body.put("detail", getMessage());
        ctx.status(status).contentType("application/problem+json; charset=utf-8").result(SinkJson.write(body));
    }
}
