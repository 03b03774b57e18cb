package vn.bhxh.shield.deploy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Everything this JVM logs while it is open, as it would be written: the message with its arguments, key-value
 * pairs, MDC and stack traces. The loggers named in {@code levels} are turned up (more detail than production
 * writes, so a secret logged at DEBUG is caught too) and, while captured, write only here.
 */
final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<String> lines = new ArrayList<>();
    private final Map<Logger, Level> previousLevels = new HashMap<>();

    private CapturedLogs() {
    }

    static CapturedLogs start(Map<String, Level> levels) {
        CapturedLogs capture = new CapturedLogs();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        capture.setContext(context);
        capture.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(capture);
        levels.forEach((name, level) -> {
            Logger logger = context.getLogger(name);
            capture.previousLevels.put(logger, logger.getLevel());
            logger.setLevel(level);
            logger.setAdditive(false);
            logger.addAppender(capture);
        });
        return capture;
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " - "
                + event.getFormattedMessage());
        if (event.getKeyValuePairs() != null) {
            event.getKeyValuePairs().forEach(pair -> line.append(' ').append(pair.key).append('=').append(pair.value));
        }
        event.getMDCPropertyMap().forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        if (event.getThrowableProxy() != null) {
            line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        lines.add(line.toString());
    }

    synchronized int size() {
        return lines.size();
    }

    /** The lines that contain {@code text}. */
    synchronized List<String> containing(String text) {
        return lines.stream().filter(line -> line.contains(text)).collect(Collectors.toList());
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) getContext();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this);
        previousLevels.forEach((logger, level) -> {
            logger.detachAppender(this);
            logger.setAdditive(true);
            logger.setLevel(level);
        });
        stop();
    }
}
