package vn.bhxh.shield.runtime;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Names the process in its logs: every JSON line gets {@code "service":"<name>"} (a logback context property,
 * which the JSON encoder writes on every line, whatever thread logged it). Called first thing by each
 * {@code main}; several services sharing one JVM (the integration tests) tell their lines apart by logger name.
 */
public final class ServiceLogs {

    public static final String SERVICE_PROPERTY = "service";

    private ServiceLogs() {
    }

    public static void name(String service) {
        name((LoggerContext) LoggerFactory.getILoggerFactory(), service);
    }

    static void name(LoggerContext context, String service) {
        context.putProperty(SERVICE_PROPERTY, service);
    }
}
