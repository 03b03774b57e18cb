package vn.bhxh.shield.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import vn.bhxh.shield.ingest.security.ApiClient;
import vn.bhxh.shield.runtime.Settings;

/**
 * reporter-ingest's own configuration. Its secrets have no production default: without them the service refuses
 * to start, unless {@code INGEST_DEV_MODE=true} (the local stack), which fills in the documented development
 * values so nobody is tempted to deploy a laptop setting.
 */
public record IngestSettings(byte[] reporterKey, List<ApiClient> clients, String fanpageAppSecret,
                             String fanpageVerifyToken, boolean devMode, String transactionalId,
                             String processorUrl, Duration processorTimeout, double requestsPerSecond) {

    public static final String DEV_MODE = "INGEST_DEV_MODE";
    public static final String REPORTER_HMAC_KEY = "INGEST_REPORTER_HMAC_KEY";
    public static final String TOKENS = "INGEST_TOKENS";
    public static final String FANPAGE_APP_SECRET = "INGEST_FANPAGE_APP_SECRET";
    public static final String FANPAGE_VERIFY_TOKEN = "INGEST_FANPAGE_VERIFY_TOKEN";
    public static final String TRANSACTIONAL_ID = "INGEST_TRANSACTIONAL_ID";
    public static final String PROCESSOR_URL = "PROCESSOR_URL";
    public static final String RATE_PER_SECOND = "INGEST_RATE_PER_SECOND";

    /** The development values: documented in the README, never accepted outside dev mode. */
    public static final Map<String, String> DEVELOPMENT = Map.of(
            REPORTER_HMAC_KEY, "dev-only-reporter-key-change-me",
            TOKENS, "dev-operator-token:operator:hotline-dev,dev-police-token:police:c06-dev,"
                    + "dev-fanpage-token:fanpage:fanpage-dev",
            FANPAGE_APP_SECRET, "dev-fanpage-app-secret",
            FANPAGE_VERIFY_TOKEN, "dev-fanpage-verify-token");

    private static final int MIN_SECRET_LENGTH = 16;

    public static IngestSettings from(Settings settings) {
        boolean devMode = Boolean.parseBoolean(settings.string(DEV_MODE, "false"));
        Map<String, String> secrets = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String name : List.of(REPORTER_HMAC_KEY, TOKENS, FANPAGE_APP_SECRET, FANPAGE_VERIFY_TOKEN)) {
            Optional<String> value = settings.find(name).or(() -> devMode ? Optional.of(DEVELOPMENT.get(name)) : Optional.empty());
            value.ifPresentOrElse(v -> secrets.put(name, v), () -> missing.add(name));
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("reporter-ingest needs " + String.join(", ", missing)
                    + " (or " + DEV_MODE + "=true for the documented development values)");
        }
        String reporterKey = secrets.get(REPORTER_HMAC_KEY);
        if (!devMode && reporterKey.length() < MIN_SECRET_LENGTH) {
            throw new IllegalStateException(REPORTER_HMAC_KEY + " must have at least " + MIN_SECRET_LENGTH + " characters");
        }
        return new IngestSettings(
                reporterKey.getBytes(StandardCharsets.UTF_8),
                ApiClient.parseAll(secrets.get(TOKENS)),
                secrets.get(FANPAGE_APP_SECRET),
                secrets.get(FANPAGE_VERIFY_TOKEN),
                devMode,
                settings.string(TRANSACTIONAL_ID, IngestService.NAME + "-" + hostName()),
                settings.string(PROCESSOR_URL, "http://localhost:8083"),
                Duration.ofMillis(settings.integer("PROCESSOR_TIMEOUT_MS", 800)),
                settings.integer(RATE_PER_SECOND, 20));
    }

    /** Stable per pod in a StatefulSet, so a restarted instance fences its own unfinished transactions. */
    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "local";
        }
    }
}
