package vn.bhxh.shield.sink;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An answer other than success for people, as RFC 9457 {@code application/problem+json}: {@code title} in Vietnamese
 * (shown as is), {@code code} for machines, and {@code errors} naming the form field each message belongs next to.
 */
final class ProblemJson {

    private ProblemJson() {
    }

    static void send(Context ctx, int status, String code, String title) {
        send(ctx, status, code, title, List.of());
    }

    static void send(Context ctx, int status, String code, String title, List<Appeals.FieldError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("status", status);
        body.put("code", code);
        body.put("title", title);
        body.put("errors", errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList());
        ctx.status(status).contentType("application/problem+json; charset=utf-8").result(SinkJson.write(body));
    }
}
