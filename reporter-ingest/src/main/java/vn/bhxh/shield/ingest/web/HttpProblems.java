package vn.bhxh.shield.ingest.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rejections made before any endpoint runs, by Javalin (no such route, body over the limit) or by Jetty (a request
 * it cannot parse: bad URI, header too large, broken framing), answered like every other rejection: JSON
 * {@code {"code","message","errors"}} with a Vietnamese message, never an HTML error page.
 */
final class HttpProblems {

    private static final Logger log = LoggerFactory.getLogger(HttpProblems.class);

    private HttpProblems() {
    }

    static void register(JavalinConfig config) {
        config.routes.exception(HttpResponseException.class, (e, ctx) -> Endpoints.render(ctx, of(e.getStatus())));
        // Javalin decodes path parameters itself, before any endpoint, and throws on a bad escape ("%u0041").
        config.routes.exception(IllegalArgumentException.class, (e, ctx) -> {
            if (String.valueOf(e.getMessage()).startsWith("URLDecoder:")) {
                Endpoints.render(ctx, ApiProblem.of(400, "BAD_ESCAPE", "Địa chỉ có mã % không hợp lệ."));
            } else {
                log.error("unexpected failure", e);
                Endpoints.render(ctx, ApiProblem.of(500, "INTERNAL_ERROR", "Lỗi hệ thống, vui lòng thử lại sau."));
            }
        });
        config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
    }

    static ApiProblem of(int status) {
        return switch (status) {
            case 400 -> ApiProblem.of(400, "BAD_REQUEST", "Yêu cầu HTTP không hợp lệ.");
            case 404 -> ApiProblem.of(404, "NOT_FOUND", "Không có chức năng nào ở địa chỉ này.");
            case 405 -> ApiProblem.of(405, "METHOD_NOT_ALLOWED", "Địa chỉ này không nhận phương thức HTTP đó.");
            case 413 -> ApiProblem.of(413, "BODY_TOO_LARGE", "Nội dung gửi lên quá lớn.");
            case 414 -> ApiProblem.of(414, "URI_TOO_LONG", "Địa chỉ yêu cầu quá dài.");
            case 431 -> ApiProblem.of(431, "HEADERS_TOO_LARGE", "Phần tiêu đề (header) của yêu cầu quá lớn.");
            default -> ApiProblem.of(status, "HTTP_" + status, "Yêu cầu không được chấp nhận.");
        };
    }

    static String json(ApiProblem problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", problem.code());
        body.put("message", problem.getMessage());
        body.put("errors", List.of());
        return Json.write(body);
    }

    /** Jetty's error pages, for what never reached Javalin, as the same JSON. */
    private static final class JsonErrorHandler extends ErrorHandler {

        private static final String JSON = "application/json; charset=utf-8";

        /** Jetty writes error bodies only for GET, POST and HEAD; a refused DELETE deserves the reason too. */
        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) throws IOException {
            response.setStatus(code);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
            response.write(true, ByteBuffer.wrap(json(of(code)).getBytes(StandardCharsets.UTF_8)), callback);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, JSON);
            return ByteBuffer.wrap(json(of(status)).getBytes(StandardCharsets.UTF_8));
        }
    }
}
