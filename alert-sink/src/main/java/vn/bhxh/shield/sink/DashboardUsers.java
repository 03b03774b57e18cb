package vn.bhxh.shield.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import vn.bhxh.shield.province.Provinces;

/**
 * Who may open the province dashboard, from {@code SINK_USERS=user:password:province-slug|national,...}, and the
 * signed-in sessions. A session is a random id in an HttpOnly, SameSite=Strict cookie, with its own CSRF token
 * that every state-changing request must echo in {@code X-CSRF-Token}.
 */
final class DashboardUsers {

    /** A province office account ({@code scope} = its slug) or a national one ({@code scope} = national). */
    record User(String name, String scope) {
    }

    record Session(User user, String csrfToken) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, byte[]> passwords;
    private final Map<String, User> users;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    private DashboardUsers(Map<String, byte[]> passwords, Map<String, User> users) {
        this.passwords = passwords;
        this.users = users;
    }

    static DashboardUsers parse(String config) {
        Map<String, byte[]> passwords = new LinkedHashMap<>();
        Map<String, User> users = new LinkedHashMap<>();
        String[] entries = config.split(",");
        for (int i = 0; i < entries.length; i++) {
            if (entries[i].isBlank()) {
                continue;
            }
            String[] parts = entries[i].trim().split(":", 3);
            if (parts.length != 3 || parts[1].isEmpty()
                    || !(parts[2].equals(Webhook.NATIONAL) || Provinces.bySlug(parts[2]).isPresent())) {
                // The position, never the text: a malformed entry may be (part of) a password.
                throw new IllegalStateException("SINK_USERS entry " + (i + 1)
                        + ": expected user:password:province-slug|national");
            }
            passwords.put(parts[0], parts[1].getBytes(StandardCharsets.UTF_8));
            users.put(parts[0], new User(parts[0], parts[2]));
        }
        return new DashboardUsers(Map.copyOf(passwords), Map.copyOf(users));
    }

    /** A new session id for the user if the password matches (constant-time comparison). */
    Optional<String> signIn(String name, String password) {
        byte[] expected = name == null ? null : passwords.get(name);
        if (expected == null || password == null
                || !MessageDigest.isEqual(expected, password.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        String sessionId = randomToken();
        sessions.put(sessionId, new Session(users.get(name), randomToken()));
        return Optional.of(sessionId);
    }

    Optional<Session> session(String sessionId) {
        return sessionId == null ? Optional.empty() : Optional.ofNullable(sessions.get(sessionId));
    }

    void signOut(String sessionId) {
        if (sessionId != null) {
            sessions.remove(sessionId);
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
