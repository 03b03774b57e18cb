package vn.bhxh.shield.sink;

import io.javalin.http.Context;
import java.util.List;
import vn.bhxh.shield.runtime.HttpProblem;

/**
 * An answer other than success for people, rendered in place as the services' one problem+json shape
 * ({@link HttpProblem}): {@code detail} in Vietnamese (shown as is), {@code code} for machines, and {@code errors}
 * naming the form field each message belongs next to.
 */
final class ProblemJson {

    private ProblemJson() {
    }

    static void send(Context ctx, int status, String code, String detail) {
        send(ctx, status, code, detail, List.of());
    }

    static void send(Context ctx, int status, String code, String detail, List<Appeals.FieldError> errors) {
        new HttpProblem(status, code, detail, errors, null).render(ctx);
    }
}
