package vn.bhxh.shield.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An answer other than success, in the one shape of every service: RFC 9457 {@code application/problem+json} with
 * {@code type} (a URN naming the {@code code}), {@code title} (the Vietnamese name of the status), {@code status},
 * {@code detail} (the Vietnamese message for people, shown as is), {@code instance} (the request's path) and the
 * extensions {@code code} (stable, for scripts) and {@code errors} (one entry per form field: {@code field},
 * {@code message}, sometimes a {@code code}). Thrown by a handler and rendered by {@link HttpProblems}, or rendered
 * in place by {@link #render}.
 */
public class HttpProblem extends RuntimeException {

    public static final String CONTENT_TYPE = "application/problem+json; charset=utf-8";
    private static final String TYPE_PREFIX = "urn:bhxh-shield:problem:";
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final int status;
    private final String code;
    private final List<?> errors;
    private final Integer retryAfterSeconds;
    private final Map<String, Object> extensions;

    public HttpProblem(int status, String code, String detail, List<?> errors, Integer retryAfterSeconds) {
        this(status, code, detail, errors, retryAfterSeconds, Map.of());
    }

    private HttpProblem(int status, String code, String detail, List<?> errors, Integer retryAfterSeconds,
                        Map<String, Object> extensions) {
        super(detail);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
        this.extensions = extensions;
    }

    public static HttpProblem of(int status, String code, String detail) {
        return new HttpProblem(status, code, detail, List.of(), null);
    }

    /** This problem with one more member beside the standard ones (e.g. where to go instead). */
    public HttpProblem with(String member, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(member, value);
        return new HttpProblem(status, code, getMessage(), errors, retryAfterSeconds, more);
    }

    /** This problem answered with {@code Retry-After}. */
    public HttpProblem retryAfter(int seconds) {
        return new HttpProblem(status, code, getMessage(), errors, seconds, extensions);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<?> errors() {
        return errors;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The RFC 9457 members and the extensions, for the request at {@code instance}. */
    public Map<String, Object> body(String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + code.toLowerCase(Locale.ROOT).replace('_', '-'));
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", getMessage());
        if (instance != null) {
            body.put("instance", instance);
        }
        body.put("code", code);
        body.put("errors", errors);
        body.putAll(extensions);
        return body;
    }

    public String json(String instance) {
        try {
            return MAPPER.writeValueAsString(body(instance));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers this problem: status, {@code Retry-After} and {@code WWW-Authenticate} where they apply, the body. */
    public void render(Context ctx) {
        if (retryAfterSeconds != null) {
            ctx.header("Retry-After", Integer.toString(retryAfterSeconds));
        }
        if (status == 401 && ctx.res().getHeader("WWW-Authenticate") == null) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        ctx.status(status).contentType(CONTENT_TYPE).result(json(ctx.path()));
    }

    /** The Vietnamese name of an HTTP status, the problem's {@code title}: the same for every problem of a status. */
    public static String title(int status) {
        return switch (status) {
            case 400 -> "Yêu cầu không hợp lệ";
            case 401 -> "Chưa xác thực";
            case 403 -> "Không được phép";
            case 404 -> "Không tìm thấy";
            case 405 -> "Phương thức không được hỗ trợ";
            case 409 -> "Xung đột trạng thái";
            case 410 -> "Không còn phục vụ";
            case 413 -> "Nội dung quá lớn";
            case 414 -> "Địa chỉ quá dài";
            case 415 -> "Kiểu nội dung không được hỗ trợ";
            case 422 -> "Không xử lý được yêu cầu";
            case 429 -> "Quá nhiều yêu cầu";
            case 431 -> "Tiêu đề yêu cầu quá lớn";
            case 500 -> "Lỗi hệ thống";
            case 502 -> "Lỗi dịch vụ phía sau";
            case 503 -> "Dịch vụ tạm thời không sẵn sàng";
            case 504 -> "Dịch vụ phía sau không trả lời kịp";
            default -> status >= 500 ? "Lỗi hệ thống" : "Yêu cầu không được chấp nhận";
        };
    }
}
