package vn.bhxh.shield.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The production JSON log lines written into memory: the encoder of the services' {@code logback.xml} with
 * {@code LOG_FORMAT=json} (configured in a context of its own), attached to a logger of this JVM. Tests run under
 * logback-test.xml; this shows what the same lines look like in production.
 */
public final class JsonLogCapture implements AutoCloseable {

    /** The appender logback.xml writes every line with, whichever the format. */
    public static final String CONSOLE = "console";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoggerContext production;
    private final Logger logger;
    private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private JsonLogCapture(LoggerContext production, Logger logger, Encoder<ILoggingEvent> encoder) {
        this.production = production;
        this.logger = logger;
        appender.setContext(logger.getLoggerContext());
        appender.setName("capture");
        appender.setEncoder(encoder);
        appender.setOutputStream(buffer);
        appender.start();
        logger.addAppender(appender);
    }

    /** Lines logged from now on under {@code loggerName} (and below). */
    public static JsonLogCapture attach(String loggerName) {
        LoggerContext production = configured("json");
        @SuppressWarnings("unchecked")
        var configured = (OutputStreamAppender<ILoggingEvent>) production.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender(CONSOLE);
        if (configured == null) {
            throw new IllegalStateException("logback.xml has no console appender for LOG_FORMAT=json");
        }
        LoggerContext here = (LoggerContext) LoggerFactory.getILoggerFactory();
        return new JsonLogCapture(production, here.getLogger(loggerName), configured.getEncoder());
    }

    /** A fresh context configured from the services' logback.xml, as a service's JVM with {@code format} would be. */
    public static LoggerContext configured(String format) {
        URL resource = JsonLogCapture.class.getClassLoader().getResource("logback.xml");
        if (resource == null) {
            throw new IllegalStateException("no logback.xml on the classpath");
        }
        LoggerContext context = new LoggerContext();
        // The JVM's one MDC, so the lines carry what the code under test put there.
        context.setMDCAdapter(MDC.getMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        // As -DLOG_FORMAT=... on a service's command line; a context property would show up in every JSON line.
        String before = System.getProperty("LOG_FORMAT");
        System.setProperty("LOG_FORMAT", format);
        try {
            configurator.doConfigure(resource);
        } catch (JoranException e) {
            throw new IllegalStateException("logback.xml does not configure", e);
        } finally {
            if (before == null) {
                System.clearProperty("LOG_FORMAT");
            } else {
                System.setProperty("LOG_FORMAT", before);
            }
        }
        return context;
    }

    public String text() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** Every line written so far, each parsed as one JSON object (fails on a line that is not). */
    public List<JsonNode> jsonLines() {
        return text().lines().map(line -> {
            try {
                JsonNode node = JSON.readTree(line);
                if (node == null || !node.isObject()) {
                    throw new IllegalStateException("not a JSON object: " + line);
                }
                return node;
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + line, e);
            }
        }).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        production.stop();
    }
}
