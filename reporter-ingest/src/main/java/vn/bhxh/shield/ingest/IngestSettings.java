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
 * <p>
 * The pseudonym key and the session key are separate secrets: they are rotated for different reasons (a new
 * pseudonym key splits every reporter in two for the rules' windows, a new session key only signs operators out),
 * and a key that signs cookies handed to browsers must not be the one that hides who reported.
 */
public record IngestSettings(byte[] pseudonymKey, byte[] sessionKey, List<ApiClient> clients, String fanpageAppSecret,
                             String fanpageVerifyToken, boolean devMode, String transactionalId,
                             String processorUrl, Duration processorTimeout, double requestsPerSecond,
                             Optional<ZaloOaSettings> zaloOa) {

    public static final String DEV_MODE = "INGEST_DEV_MODE";
    public static final String PSEUDONYM_KEY = "INGEST_PSEUDONYM_KEY";
    public static final String SESSION_KEY = "INGEST_SESSION_KEY";
    public static final String TOKENS = "INGEST_TOKENS";
    public static final String FANPAGE_APP_SECRET = "INGEST_FANPAGE_APP_SECRET";
    public static final String FANPAGE_VERIFY_TOKEN = "INGEST_FANPAGE_VERIFY_TOKEN";
    public static final String TRANSACTIONAL_ID = "INGEST_TRANSACTIONAL_ID";
    public static final String PROCESSOR_URL = "PROCESSOR_URL";
    public static final String RATE_PER_SECOND = "INGEST_RATE_PER_SECOND";

    /** The development values: documented in the README, never accepted outside dev mode. */
    public static final Map<String, String> DEVELOPMENT = Map.of(
            PSEUDONYM_KEY, "dev-only-pseudonym-key-change-me-0123456789",
            SESSION_KEY, "dev-only-session-key-change-me",
            TOKENS, "dev-operator-token:operator:hotline-dev,dev-police-token:police:c06-dev,"
                    + "dev-fanpage-token:fanpage:fanpage-dev",
            FANPAGE_APP_SECRET, "dev-fanpage-app-secret",
            FANPAGE_VERIFY_TOKEN, "dev-fanpage-verify-token");

    private static final int MIN_PSEUDONYM_KEY_LENGTH = 32;
    private static final int MIN_SESSION_KEY_LENGTH = 16;

    public static IngestSettings from(Settings settings) {
        boolean devMode = Boolean.parseBoolean(settings.string(DEV_MODE, "false"));
        Map<String, String> secrets = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String name : List.of(PSEUDONYM_KEY, SESSION_KEY, TOKENS, FANPAGE_APP_SECRET, FANPAGE_VERIFY_TOKEN)) {
            Optional<String> value = settings.find(name).or(() -> devMode ? Optional.of(DEVELOPMENT.get(name)) : Optional.empty());
            value.ifPresentOrElse(v -> secrets.put(name, v), () -> missing.add(name));
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("reporter-ingest needs " + String.join(", ", missing)
                    + " (or " + DEV_MODE + "=true for the documented development values)");
        }
        String pseudonymKey = secrets.get(PSEUDONYM_KEY);
        String sessionKey = secrets.get(SESSION_KEY);
        if (!devMode) {
            requireLength(PSEUDONYM_KEY, pseudonymKey, MIN_PSEUDONYM_KEY_LENGTH);
            requireLength(SESSION_KEY, sessionKey, MIN_SESSION_KEY_LENGTH);
        }
        if (pseudonymKey.equals(sessionKey)) {
            throw new IllegalStateException(PSEUDONYM_KEY + " and " + SESSION_KEY + " must be different secrets");
        }
        return new IngestSettings(
                pseudonymKey.getBytes(StandardCharsets.UTF_8),
                sessionKey.getBytes(StandardCharsets.UTF_8),
                ApiClient.parseAll(secrets.get(TOKENS)),
                secrets.get(FANPAGE_APP_SECRET),
                secrets.get(FANPAGE_VERIFY_TOKEN),
                devMode,
                settings.string(TRANSACTIONAL_ID, IngestService.NAME + "-" + hostName()),
                settings.string(PROCESSOR_URL, "http://localhost:8083"),
                Duration.ofMillis(settings.integer("PROCESSOR_TIMEOUT_MS", 800)),
                settings.integer(RATE_PER_SECOND, 20),
                ZaloOaSettings.from(settings, devMode));
    }

    /** Names the setting, never its value: a refused secret is still a secret. */
    private static void requireLength(String name, String value, int minimum) {
        if (value.length() < minimum) {
            throw new IllegalStateException(name + " must have at least " + minimum + " characters");
        }
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
