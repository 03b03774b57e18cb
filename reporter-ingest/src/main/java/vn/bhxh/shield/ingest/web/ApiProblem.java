package vn.bhxh.shield.ingest.web;

import java.util.List;
import vn.bhxh.shield.ingest.intake.FieldError;

/** An answer other than success, rendered as {@code {"code","message","errors":[...]}} by {@link IngestRoutes}. */
public final class ApiProblem extends RuntimeException {

    private final int status;
    private final String code;
    private final List<FieldError> errors;
    private final Integer retryAfterSeconds;

    public ApiProblem(int status, String code, String message, List<FieldError> errors, Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
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

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
