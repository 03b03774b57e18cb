package vn.bhxh.shield.ingest.web;

import java.util.List;
import vn.bhxh.shield.ingest.intake.FieldError;
import vn.bhxh.shield.runtime.HttpProblem;

/** An answer other than success of ingest: a {@link HttpProblem} whose {@code errors} are {@link FieldError}s. */
public final class ApiProblem extends HttpProblem {

    public ApiProblem(int status, String code, String message, List<FieldError> errors, Integer retryAfterSeconds) {
        super(status, code, message, errors, retryAfterSeconds);
    }

    public static ApiProblem of(int status, String code, String message) {
        return new ApiProblem(status, code, message, List.of(), null);
    }

    public static ApiProblem invalid(List<FieldError> errors) {
        return new ApiProblem(400, "VALIDATION_FAILED", "Thông tin chưa hợp lệ, xem từng mục.", errors, null);
    }

    public static ApiProblem unavailable(int retryAfterSeconds) {
        return new ApiProblem(503, "KAFKA_UNAVAILABLE",
                "Hệ thống tạm thời không ghi nhận được báo cáo. Vui lòng thử lại sau ít giây.", List.of(), retryAfterSeconds);
    }
}
