package vn.bhxh.shield.sink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.schema.BlocklistEntry;

/**
 * The list as a STIX 2.1 bundle for CERT exchange (VNCERT/CC, a partner's MISP or OpenCTI): the producer's
 * {@code identity} and one {@code indicator} per listing. Ids are UUIDv5 of the indicator key (and of the version, for
 * the bundle), so the same listing has the same id in every download and a receiver updates rather than duplicates
 * it. What an indicator says is the pattern, since when and until when, and the reason code: never the free-text
 * reason, counts per province, staff, police units, case references or notes.
 *
 * <p>Patterns: a DOMAIN is {@code [domain-name:value = 'example.vn']}, a URL {@code [url:value = 'https://...']};
 * kinds STIX has no observable for are custom observables named {@code x-bhxh-<kind>} with a {@code value}
 * (a phone number in E.164: {@code [x-bhxh-phone:value = '+84994311201']}).
 */
final class StixBundle {

    /** The namespace of this project's UUIDv5 ids (itself UUIDv5 of "bhxh-shield" in the URL namespace). */
    private static final UUID NAMESPACE = uuid5(UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8"),
            "https://baohiemxahoi.gov.vn/bhxh-shield");
    static final String PRODUCER_ID = "identity--" + uuid5(NAMESPACE, "producer");
    /** Fixed: the identity never changes, and a changing time would make every download differ. */
    private static final Instant PRODUCER_CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private StixBundle() {
    }

    static Map<String, Object> bundle(BlocklistView.Snapshot snapshot, String kindScope) {
        List<Object> objects = new ArrayList<>();
        objects.add(producer());
        snapshot.entries().forEach(entry -> objects.add(indicator(entry)));
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("type", "bundle");
        bundle.put("id", "bundle--" + uuid5(NAMESPACE, kindScope + "@" + snapshot.version()));
        bundle.put("objects", objects);
        return bundle;
    }

    private static Map<String, Object> producer() {
        Map<String, Object> identity = common("identity", PRODUCER_ID, PRODUCER_CREATED, PRODUCER_CREATED);
        identity.put("name", "BHXH Shield — Bảo hiểm xã hội Việt Nam");
        identity.put("identity_class", "organization");
        identity.put("sectors", List.of("government-national"));
        return identity;
    }

    private static Map<String, Object> indicator(BlocklistEntry entry) {
        // STIX keeps an object's created time across its versions: the first report, which a re-listing keeps.
        Instant created = entry.getFirstSeen().isBefore(entry.getListedAt()) ? entry.getFirstSeen()
                : entry.getListedAt();
        Instant modified = entry.getLastSeen().isAfter(entry.getListedAt()) ? entry.getLastSeen() : entry.getListedAt();
        Map<String, Object> indicator = common("indicator", "indicator--" + uuid5(NAMESPACE, entry.getIndicator()),
                created, modified);
        indicator.put("created_by_ref", PRODUCER_ID);
        indicator.put("name", SinkJson.display(entry.getIndicator()));
        indicator.put("indicator_types", List.of("malicious-activity"));
        indicator.put("pattern", pattern(entry));
        indicator.put("pattern_type", "stix");
        indicator.put("pattern_version", "2.1");
        indicator.put("valid_from", entry.getListedAt().toString());
        if (entry.getExpiresAt() != null) {
            indicator.put("valid_until", entry.getExpiresAt().toString());
        }
        indicator.put("labels", List.of("bhxh-impersonation", entry.getKind().name().toLowerCase(Locale.ROOT),
                entry.getStatus().name().toLowerCase(Locale.ROOT),
                entry.getReasonCode().name().toLowerCase(Locale.ROOT)));
        return indicator;
    }

    static String pattern(BlocklistEntry entry) {
        String value = Indicator.parseKey(entry.getIndicator()).map(Indicator::value).orElse(entry.getIndicator());
        String object = switch (entry.getKind()) {
            case DOMAIN -> "domain-name";
            case URL -> "url";
            default -> "x-bhxh-" + entry.getKind().name().toLowerCase(Locale.ROOT).replace('_', '-');
        };
        // STIX patterning string literals escape the quote and the backslash with a backslash.
        return "[" + object + ":value = '" + value.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }

    private static Map<String, Object> common(String type, String id, Instant created, Instant modified) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("type", type);
        object.put("spec_version", "2.1");
        object.put("id", id);
        object.put("created", created.toString());
        object.put("modified", modified.toString());
        return object;
    }

    /** RFC 9562 version 5 (SHA-1, name-based): what STIX recommends for deterministic ids. */
    static UUID uuid5(UUID namespace, String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                    .putLong(namespace.getLeastSignificantBits()).array());
            byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
            hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
            ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
            return new UUID(bits.getLong(), bits.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
