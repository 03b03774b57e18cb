package vn.bhxh.shield.sink;

import java.util.List;
import vn.bhxh.shield.runtime.HttpProblem;

/**
 * An answer other than success for people ({@link HttpProblem}: a stable {@code code} for scripts and a Vietnamese
 * {@code detail} the page shows as is), thrown by a handler and rendered by the route that catches it or by the
 * server's problem handler.
 */
final class SinkProblem extends HttpProblem {

    SinkProblem(int status, String code, String detailVi) {
        super(status, code, detailVi, List.of(), null);
    }

    static SinkProblem unauthorized() {
        return new SinkProblem(401, "UNAUTHORIZED", "Cần đăng nhập trước.");
    }

    static SinkProblem csrf() {
        return new SinkProblem(403, "CSRF_TOKEN_INVALID", "Phiên làm việc không hợp lệ, hãy tải lại trang.");
    }
}
