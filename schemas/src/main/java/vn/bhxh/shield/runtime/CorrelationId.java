package vn.bhxh.shield.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.MDC;

/**
 * The id that follows one HTTP request to reporter-ingest through everything it causes: the reports it wrote, the
 * alerts and blocklist changes those reports made cross a level, the webhook calls that deliver the alerts, and
 * every log line about them. It travels in the HTTP headers {@value #REQUEST_ID_HEADER} / {@value #HTTP_HEADER},
 * the Kafka record header {@value #KAFKA_HEADER} (Kafka Streams forwards it) and the log MDC key
 * {@value #MDC_KEY}.
 * <p>
 * A caller's id is taken only when it is short and made of safe characters, so it can neither forge a log line
 * nor smuggle text into a header or a receiver's logs; anything else is replaced by a random UUID.
 */
public final class CorrelationId {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    public static final String HTTP_HEADER = "X-Correlation-Id";
    public static final String KAFKA_HEADER = "bhxh-correlation-id";
    public static final String MDC_KEY = "correlationId";
    static final int MAX_LENGTH = 64;
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:=+/-]{1," + MAX_LENGTH + "}");

    private CorrelationId() {
    }

    /** The first of the caller's ids that is {@link #valid}, or a new random one. */
    public static String acceptOrCreate(String... offered) {
        for (String id : offered) {
            if (valid(id)) {
                return id;
            }
        }
        return UUID.randomUUID().toString();
    }

    public static boolean valid(String id) {
        return id != null && SAFE.matcher(id).matches();
    }

    /** The id of a record: its {@value #KAFKA_HEADER} header, else {@code field} (the value's own copy), if valid. */
    public static Optional<String> of(Headers headers, String field) {
        Header header = headers.lastHeader(KAFKA_HEADER);
        String fromHeader = header == null || header.value() == null ? null
                : new String(header.value(), StandardCharsets.UTF_8);
        return Optional.ofNullable(valid(fromHeader) ? fromHeader : valid(field) ? field : null);
    }

    /** Record headers carrying {@code id}; none when it is null. */
    public static Headers headers(String id) {
        RecordHeaders headers = new RecordHeaders();
        if (id != null) {
            headers.add(KAFKA_HEADER, id.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    /**
     * Puts {@code id} in the MDC of this thread until closed (try-with-resources), so every log line in between
     * carries it; a null id leaves the MDC as it is.
     */
    public static MDC.MDCCloseable inLogs(String id) {
        return id == null ? null : MDC.putCloseable(MDC_KEY, id);
    }
}
