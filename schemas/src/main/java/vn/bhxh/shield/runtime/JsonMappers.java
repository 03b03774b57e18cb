package vn.bhxh.shield.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The product's one JSON configuration, so every service, the registry and the tools write the same JSON: java.time
 * values as ISO-8601 strings (what people and partners read), and Jackson's defaults otherwise (an unknown property
 * is refused, which is how ingest reports a misspelt field). A caller that needs more (the processor's state
 * reads its fields directly) adds it to its own copy from {@link #create()}.
 */
public final class JsonMappers {

    private static final ObjectMapper SHARED = create();

    private JsonMappers() {
    }

    /** A new mapper with the product's configuration; the caller owns it and may add settings of its own. */
    public static ObjectMapper create() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }

    /** The value as JSON text. Our own types and maps always serialise, so a failure here is a bug. */
    public static String write(Object value) {
        try {
            return SHARED.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON of " + value.getClass().getName(), e);
        }
    }
}
