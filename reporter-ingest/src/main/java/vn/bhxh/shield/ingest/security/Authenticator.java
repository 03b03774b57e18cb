package vn.bhxh.shield.ingest.security;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who is calling. Machines send {@code Authorization: Bearer <token>}. Hotline operators sign in once in the
 * browser with their token and get a stateless session cookie, {@code name.role.expiry.mac}, so any instance
 * can check it after a restart without a session store (Kafka is the only store). Requests made with the cookie
 * must also carry the CSRF token derived from it ({@link #csrfToken}); the cookie is SameSite=Strict as well.
 */
public final class Authenticator {

    public static final Duration SESSION_LENGTH = Duration.ofHours(12); // one hotline shift
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private final Map<String, ApiClient> byDigest;
    private final Map<String, ApiClient> byName;
    private final HashFunction sessionMac;
    private final Clock clock;

    public Authenticator(List<ApiClient> clients, byte[] serviceKey, Clock clock) {
        this.byDigest = clients.stream().collect(Collectors.toMap(ApiClient::tokenDigest, Function.identity()));
        this.byName = clients.stream().collect(Collectors.toMap(ApiClient::name, Function.identity(), (a, b) -> a));
        // Key separation: the session key is derived from the service key, never the key itself.
        this.sessionMac = Hashing.hmacSha256(Hashing.hmacSha256(serviceKey)
                .hashString("session-v1", StandardCharsets.UTF_8).asBytes());
        this.clock = clock;
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
        long expiry = clock.instant().plus(SESSION_LENGTH).getEpochSecond();
        String payload = B64.encodeToString(client.name().getBytes(StandardCharsets.UTF_8)) + "."
                + client.role().name() + "." + expiry;
        return payload + "." + mac(payload);
    }

    /** The client of a valid, unexpired session whose name and role are still configured. */
    public Optional<ApiClient> session(String cookie) {
        if (cookie == null) {
            return Optional.empty();
        }
        int lastDot = cookie.lastIndexOf('.');
        if (lastDot < 0 || !equal(mac(cookie.substring(0, lastDot)), cookie.substring(lastDot + 1))) {
            return Optional.empty();
        }
        String[] parts = cookie.substring(0, lastDot).split("\\.");
        try {
            if (parts.length != 3 || Long.parseLong(parts[2]) < clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            String name = new String(B64_DECODE.decode(parts[0]), StandardCharsets.UTF_8);
            return Optional.ofNullable(byName.get(name)).filter(client -> client.role().name().equals(parts[1]));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    public String csrfToken(String sessionCookie) {
        return mac("csrf." + sessionCookie);
    }

    public boolean csrfValid(String sessionCookie, String presented) {
        return sessionCookie != null && presented != null && equal(csrfToken(sessionCookie), presented);
    }

    private String mac(String payload) {
        return sessionMac.hashString(payload, StandardCharsets.UTF_8).toString();
    }

    public static boolean equal(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
