package vn.bhxh.shield.ingest.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import vn.bhxh.shield.runtime.SessionCookies;

/**
 * Who is calling. Machines send {@code Authorization: Bearer <token>}. Hotline operators sign in once in the
 * browser with their token and get a stateless session cookie ({@link SessionCookies}: name and role, bound to the
 * token's digest, so a replaced token ends its sessions), which any instance can check after a restart without a
 * session store (Kafka is the only store). Requests made with the cookie must also carry the CSRF token derived
 * from it ({@link #csrfToken}); the cookie is SameSite=Strict as well.
 */
public final class Authenticator {

    public static final Duration SESSION_LENGTH = Duration.ofHours(12); // one hotline shift

    private final Map<String, ApiClient> byDigest;
    private final Map<String, ApiClient> byName;
    private final SessionCookies sessions;

    public Authenticator(List<ApiClient> clients, byte[] serviceKey, Clock clock) {
        this.byDigest = clients.stream().collect(Collectors.toMap(ApiClient::tokenDigest, Function.identity()));
        this.byName = clients.stream().collect(Collectors.toMap(ApiClient::name, Function.identity(), (a, b) -> a));
        this.sessions = new SessionCookies(serviceKey, "session-v1", SESSION_LENGTH, clock);
    }

    public Optional<ApiClient> bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return token(authorization.substring(7).strip());
    }

    public Optional<ApiClient> token(String token) {
        return token == null || token.isEmpty() ? Optional.empty()
                : Optional.ofNullable(byDigest.get(ApiClient.digest(token)));
    }

    public String issueSession(ApiClient client) {
        return sessions.issue(client.name(), client.role().name(), client.tokenDigest());
    }

    /** The client of a valid, unexpired session whose name, role and token are still configured. */
    public Optional<ApiClient> session(String cookie) {
        return sessions.verify(cookie, name -> Optional.ofNullable(byName.get(name)).map(ApiClient::tokenDigest))
                .flatMap(claims -> Optional.ofNullable(byName.get(claims.name()))
                        .filter(client -> client.role().name().equals(claims.attribute())));
    }

    public String csrfToken(String sessionCookie) {
        return sessions.csrfToken(sessionCookie);
    }

    public boolean csrfValid(String sessionCookie, String presented) {
        return sessions.csrfValid(sessionCookie, presented);
    }

    public static boolean equal(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
