package vn.bhxh.shield.runtime;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * Stateless browser sessions, shared by reporter-ingest's operator pages and alert-sink's dashboard. The cookie is
 * {@code name.attribute.expiry.mac} (name in base64url; attribute a role or a scope), HMAC-SHA256-signed, so every
 * replica holding the same key checks it without a session store, also after a restart. The MAC also covers a
 * per-user {@code binding} the caller looks up and never sends (a digest of the user's credential): changing or
 * removing the credential ends that user's sessions. The CSRF token is the MAC of the cookie, so it too holds on
 * every replica.
 *
 * <p>Nothing is stored, so nothing can be revoked: signing out clears the browser's cookie, and a copy taken
 * before stays valid until its expiry or until the user's credential changes.
 */
public final class SessionCookies {

    /** Who a valid session belongs to. */
    public record Claims(String name, String attribute) {
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private final HashFunction mac;
    private final Duration length;
    private final Clock clock;

    /** {@code purpose} separates keys: the MAC key is derived from {@code secret} and it, never the secret itself. */
    public SessionCookies(byte[] secret, String purpose, Duration length, Clock clock) {
        this.mac = Hashing.hmacSha256(Hashing.hmacSha256(secret).hashString(purpose, StandardCharsets.UTF_8).asBytes());
        this.length = length;
        this.clock = clock;
    }

    public Duration length() {
        return length;
    }

    public String issue(String name, String attribute, String binding) {
        long expiry = clock.instant().plus(length).getEpochSecond();
        String payload = B64.encodeToString(name.getBytes(StandardCharsets.UTF_8)) + "." + attribute + "." + expiry;
        return payload + "." + mac(payload, binding);
    }

    /**
     * The claims of an unexpired cookie whose MAC matches with the binding {@code bindingOf} gives for its name;
     * empty for anything else, a name {@code bindingOf} no longer knows included.
     */
    public Optional<Claims> verify(String cookie, Function<String, Optional<String>> bindingOf) {
        if (cookie == null) {
            return Optional.empty();
        }
        int lastDot = cookie.lastIndexOf('.');
        if (lastDot < 0) {
            return Optional.empty();
        }
        String payload = cookie.substring(0, lastDot);
        String[] parts = payload.split("\\.");
        try {
            if (parts.length != 3 || Long.parseLong(parts[2]) < clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            String name = new String(B64_DECODE.decode(parts[0]), StandardCharsets.UTF_8);
            return bindingOf.apply(name)
                    .filter(binding -> equal(mac(payload, binding), cookie.substring(lastDot + 1)))
                    .map(binding -> new Claims(name, parts[1]));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    public String csrfToken(String cookie) {
        return mac.hashString("csrf." + cookie, StandardCharsets.UTF_8).toString();
    }

    public boolean csrfValid(String cookie, String presented) {
        return cookie != null && presented != null && equal(csrfToken(cookie), presented);
    }

    private String mac(String payload, String binding) {
        // The payload has exactly three dot-separated parts, so appending the binding is unambiguous.
        return mac.hashString(payload + "." + binding, StandardCharsets.UTF_8).toString();
    }

    private static boolean equal(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
