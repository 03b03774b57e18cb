package vn.bhxh.shield.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.testkit.JsonLogCapture;

/** The services' logback.xml, configured as in production: what its two formats really write. */
@SuppressWarnings("try") // MDC scopes are used by being open
class LogFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<LoggerContext> contexts = new ArrayList<>();

    @Test
    void jsonIsOneObjectPerLineWithTheFieldsCollectorsNeed() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoggerContext context = production("json", out);
        ServiceLogs.name(context, "reporter-ingest");
        Logger log = context.getLogger("vn.bhxh.shield.ingest.web.Endpoints");

        try (var ignored = CorrelationId.inLogs("req-42")) {
            log.info("report {} written: \"quoted\"\nsecond line, Thanh Hóa", "r-1");
            log.warn("reports: Kafka unavailable", new IllegalStateException("broker down",
                    new java.io.IOException("connection refused")));
        }
        log.info("after the request");
        context.getLogger("org.apache.kafka.clients.NetworkClient").info("chatty Kafka client line");

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3);
        List<JsonNode> json = new ArrayList<>();
        for (String line : lines) {
            json.add(JSON.readTree(line));
        }
        JsonNode first = json.get(0);
        assertThat(Instant.parse(first.path("@timestamp").asText())).isBetween(
                Instant.now().minusSeconds(60), Instant.now());
        assertThat(first.path("@timestamp").asText()).endsWith("Z");
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(first.path("logger_name").asText()).isEqualTo("vn.bhxh.shield.ingest.web.Endpoints");
        assertThat(first.path("thread_name").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(first.path("message").asText()).isEqualTo("report r-1 written: \"quoted\"\nsecond line, Thanh Hóa");
        assertThat(first.path("correlationId").asText()).isEqualTo("req-42");
        assertThat(first.path("service").asText()).isEqualTo("reporter-ingest");
        assertThat(first.has("stack_trace")).isFalse();

        JsonNode failure = json.get(1);
        assertThat(failure.path("level").asText()).isEqualTo("WARN");
        assertThat(failure.path("correlationId").asText()).isEqualTo("req-42");
        // Root cause first: the line says why before it says where.
        assertThat(failure.path("stack_trace").asText())
                .startsWith("java.io.IOException: connection refused")
                .contains("java.lang.IllegalStateException: broker down");

        assertThat(json.get(2).has("correlationId")).as("outside the request").isFalse();
        assertThat(json.get(2).path("service").asText()).isEqualTo("reporter-ingest");
    }

    @Test
    void textIsOneLinePerEventWithTheCorrelationIdWhenThereIsOne() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoggerContext context = production("text", out);
        Logger log = context.getLogger("vn.bhxh.shield.sink.WebhookDelivery");

        try (var ignored = CorrelationId.inLogs("req-42")) {
            log.info("delivered");
        }
        log.info("idle");

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[[^]]+] vn\\.bhxh\\.shield\\.sink\\.WebhookDelivery"
                + " \\[req-42] - delivered");
        assertThat(lines.get(1)).endsWith("WebhookDelivery - idle");
    }

    /** The production configuration of {@code format}, its console output redirected to {@code out}. */
    private LoggerContext production(String format, ByteArrayOutputStream out) {
        LoggerContext context = JsonLogCapture.configured(format);
        contexts.add(context);
        @SuppressWarnings("unchecked")
        var console = (OutputStreamAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender(JsonLogCapture.CONSOLE);
        assertThat(console).as("the console appender of LOG_FORMAT=%s", format).isNotNull();
        console.setOutputStream(out);
        return context;
    }

    @AfterEach
    void stop() {
        contexts.forEach(LoggerContext::stop);
    }
}
