package vn.bhxh.shield.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Telecom partners and their read-only feed keys, from {@code SINK_PARTNER_KEYS=viettel:key1,vnpt:key2}. Each
 * partner has its own key so one can be revoked without the others, and requests are counted per partner.
 */
final class Partners {

    private final Map<String, byte[]> keysByPartner;

    private Partners(Map<String, byte[]> keysByPartner) {
        this.keysByPartner = keysByPartner;
    }

    static Partners parse(String config) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String pair : config.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] nameAndKey = pair.trim().split(":", 2);
            if (nameAndKey.length != 2 || nameAndKey[0].isBlank() || nameAndKey[1].length() < 8) {
                throw new IllegalStateException(
                        "SINK_PARTNER_KEYS: expected partner:key with a key of at least 8 characters, got '"
                                + nameAndKey[0] + ":…'");
            }
            keys.put(nameAndKey[0], nameAndKey[1].getBytes(StandardCharsets.UTF_8));
        }
        return new Partners(Map.copyOf(keys));
    }

    /** The partner whose key is in {@code Authorization: Bearer <key>}; compared in constant time. */
    Optional<String> authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.startsWith("Bearer ")) {
            return Optional.empty();
        }
        byte[] presented = authorizationHeader.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        return keysByPartner.entrySet().stream()
                .filter(e -> MessageDigest.isEqual(e.getValue(), presented))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
