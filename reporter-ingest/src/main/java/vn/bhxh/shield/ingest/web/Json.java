package vn.bhxh.shield.ingest.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import vn.bhxh.shield.ingest.intake.FieldError;
import vn.bhxh.shield.runtime.JsonMappers;

/** One JSON mapper for requests and replies; malformed bodies become 400 field errors, not 500s. */
final class Json {

    static final ObjectMapper MAPPER = JsonMappers.create();

    private Json() {
    }

    static String write(Object value) {
        return JsonMappers.write(value);
    }

    /** The body as {@code type}; never null: a body that is JSON {@code null} is refused like any wrong type. */
    static <T> T read(byte[] body, Class<T> type) {
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null || value instanceof JsonNode node && node.isNull()) {
                throw wrongType("body");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiProblem.invalid(List.of(new FieldError(e.getPropertyName(), "UNKNOWN_FIELD",
                    "Trường \"" + e.getPropertyName() + "\" không được hỗ trợ.")));
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw wrongType(field.isEmpty() ? "body" : field);
        } catch (IOException e) {
            throw ApiProblem.invalid(List.of(new FieldError("body", "MALFORMED_JSON",
                    "Nội dung gửi lên không phải JSON hợp lệ.")));
        }
    }

    static ApiProblem wrongType(String field) {
        return ApiProblem.invalid(List.of(new FieldError(field, "INVALID_TYPE",
                "Giá trị của \"" + field + "\" không đúng kiểu.")));
    }
}
