package vn.bhxh.shield.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Telecom partners and their read-only feed keys, from {@code SINK_PARTNER_KEYS=viettel:key1,vnpt:key2}. Each
 * partner has its own key so one can be revoked without the others, and requests are counted per partner. A
 * partner may be named twice ({@code viettel:old,viettel:new}) while it moves to a new key (docs/runbook.md).
 */
final class Partners {

    private final Map<String, String> partnersByKey;

    private Partners(Map<String, String> partnersByKey) {
        this.partnersByKey = partnersByKey;
    }

    static Partners parse(String config) {
        Map<String, String> partners = new LinkedHashMap<>();
        String[] pairs = config.split(",");
        for (int i = 0; i < pairs.length; i++) {
            if (pairs[i].isBlank()) {
                continue;
            }
            String[] nameAndKey = pairs[i].trim().split(":", 2);
            if (nameAndKey.length != 2 || nameAndKey[0].isBlank() || nameAndKey[1].length() < 8) {
                // The position, never the text: a malformed entry may be (part of) a key.
                throw new IllegalStateException("SINK_PARTNER_KEYS entry " + (i + 1)
                        + ": expected partner:key with a key of at least 8 characters");
            }
            String other = partners.putIfAbsent(nameAndKey[1], nameAndKey[0]);
            if (other != null && !other.equals(nameAndKey[0])) {
                throw new IllegalStateException("SINK_PARTNER_KEYS: " + other + " and " + nameAndKey[0]
                        + " have the same key; each partner needs its own");
            }
        }
        return new Partners(Map.copyOf(partners));
    }

    /** The partner whose key is in {@code Authorization: Bearer <key>}; compared in constant time. */
    Optional<String> authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.startsWith("Bearer ")) {
            return Optional.empty();
        }
        byte[] presented = authorizationHeader.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        return partnersByKey.entrySet().stream()
                .filter(e -> MessageDigest.isEqual(e.getKey().getBytes(StandardCharsets.UTF_8), presented))
                .map(Map.Entry::getValue)
                .findFirst();
    }
}
