package vn.bhxh.shield.runtime;

import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every rejection a service does not answer itself, as an {@link HttpProblem}: a handler's {@code HttpProblem},
 * Javalin's own (no such route, method not allowed, body over the limit), an escape Javalin cannot decode, any other
 * exception (500, logged), and what Jetty refuses before Javalin sees it (bad URI, header too large, broken
 * framing). API clients and browsers alike get {@code application/problem+json}, never an HTML error page: the
 * pages themselves render their own form errors.
 */
final class HttpProblems {

    private static final Logger log = LoggerFactory.getLogger(HttpProblems.class);

    private HttpProblems() {
    }

    static void register(JavalinConfig config) {
        config.routes.exception(HttpProblem.class, (problem, ctx) -> problem.render(ctx));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> of(e.getStatus()).render(ctx));
        config.routes.exception(Exception.class, (e, ctx) -> {
            // Javalin decodes path parameters itself, before any endpoint, and throws on a bad escape ("%u0041").
            if (e instanceof IllegalArgumentException && String.valueOf(e.getMessage()).startsWith("URLDecoder:")) {
                HttpProblem.of(400, "BAD_ESCAPE", "Địa chỉ có mã % không hợp lệ.").render(ctx);
            } else {
                log.error("unexpected failure", e);
                of(500).render(ctx);
            }
        });
        config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
    }

    /** The problem of a status nobody named more precisely. */
    static HttpProblem of(int status) {
        return switch (status) {
            case 400 -> HttpProblem.of(400, "BAD_REQUEST", "Yêu cầu HTTP không hợp lệ.");
            case 401 -> HttpProblem.of(401, "UNAUTHORIZED", "Cần đăng nhập trước.");
            case 403 -> HttpProblem.of(403, "FORBIDDEN", "Tài khoản này không được dùng chức năng này.");
            case 404 -> HttpProblem.of(404, "NOT_FOUND", "Không có chức năng nào ở địa chỉ này.");
            case 405 -> HttpProblem.of(405, "METHOD_NOT_ALLOWED", "Địa chỉ này không nhận phương thức HTTP đó.");
            case 413 -> HttpProblem.of(413, "BODY_TOO_LARGE", "Nội dung gửi lên quá lớn.");
            case 414 -> HttpProblem.of(414, "URI_TOO_LONG", "Địa chỉ yêu cầu quá dài.");
            case 431 -> HttpProblem.of(431, "HEADERS_TOO_LARGE", "Phần tiêu đề (header) của yêu cầu quá lớn.");
            case 500 -> HttpProblem.of(500, "INTERNAL_ERROR", "Lỗi hệ thống, vui lòng thử lại sau.");
            default -> HttpProblem.of(status, "HTTP_" + status, "Yêu cầu không được chấp nhận.");
        };
    }

    /** Jetty's error pages, for what never reached Javalin, as the same problem. */
    private static final class ProblemErrorHandler extends ErrorHandler {

        /** Jetty writes error bodies only for GET, POST and HEAD; a refused DELETE deserves the reason too. */
        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) throws IOException {
            response.setStatus(code);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpProblem.CONTENT_TYPE);
            String body = of(code).json(request.getHttpURI().getPath());
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, HttpProblem.CONTENT_TYPE);
            return ByteBuffer.wrap(of(status).json(null).getBytes(StandardCharsets.UTF_8));
        }
    }
}
