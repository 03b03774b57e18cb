package vn.bhxh.shield.ingest.security;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A configured caller: {@code token:role[:name]}, comma-separated in {@code INGEST_TOKENS}. Only the SHA-256 of
 * the token is kept, so a lookup by digest leaks nothing about the token through timing and a heap dump holds no
 * usable token. The name goes into {@code Report.submittedBy}; without one it is derived from the digest.
 */
public record ApiClient(String name, Role role, String tokenDigest) {

    public static List<ApiClient> parseAll(String setting) {
        List<ApiClient> clients = Arrays.stream(setting.split(","))
                .map(String::strip)
                .filter(entry -> !entry.isEmpty())
                .map(ApiClient::parse)
                .toList();
        if (clients.isEmpty()) {
            throw new IllegalStateException("INGEST_TOKENS lists no token");
        }
        return clients;
    }

    static ApiClient parse(String entry) {
        String[] parts = entry.split(":", 3);
        if (parts.length < 2 || parts[0].isBlank()) {
            throw new IllegalStateException("INGEST_TOKENS entries are token:role[:name]");
        }
        Role role = Role.parse(parts[1]);
        String digest = digest(parts[0].strip());
        String name = parts.length == 3 && !parts[2].isBlank()
                ? parts[2].strip()
                : role.name().toLowerCase(java.util.Locale.ROOT) + "-" + digest.substring(0, 8);
        return new ApiClient(name, role, digest);
    }

    static String digest(String token) {
        return Hashing.sha256().hashString(token, StandardCharsets.UTF_8).toString();
    }
}
