package vn.bhxh.shield.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.runtime.Settings;

/**
 * The Zalo app that receives the webhook of the BHXH offices' Official Accounts, and the province of each OA.
 * Zalo signs every event with the app id and the OA secret key of the linked Official Account. Where every
 * office's OA is linked under one key, {@code INGEST_ZALO_OA_SECRET_KEY} is that key; where each OA has its own,
 * it is {@code <oa id>:<key>,...} and an event is checked with the key of the OA it concerns. The channel is optional: without any of its settings (outside dev mode) the webhook
 * is not offered; with only some of them the service refuses to start rather than refuse every event.
 *
 * @param appId        the Zalo app's id (developers.zalo.me), part of every event's signature
 * @param oaSecretKeys the OA secret key (not the app secret key) of each OA id, or of every OA under {@link #ANY_OA}
 * @param provinces    the province slug of each OA id: a report sent to an OA is that province's report
 */
public record ZaloOaSettings(String appId, Map<String, String> oaSecretKeys, Map<String, String> provinces) {

    /** The key of {@link #oaSecretKeys} under which one OA secret key serves every OA. */
    public static final String ANY_OA = "*";

    public static final String APP_ID = "INGEST_ZALO_APP_ID";
    public static final String OA_SECRET_KEY = "INGEST_ZALO_OA_SECRET_KEY";
    /** {@code <oa id>:<province>,...}, the province as its slug or name ({@code 3662729599332560487:ha-noi}). */
    public static final String OA_PROVINCES = "INGEST_ZALO_OA_PROVINCES";

    /** The development values: documented in docs/channels.md, never accepted outside dev mode. */
    public static final Map<String, String> DEVELOPMENT = Map.of(
            APP_ID, "dev-zalo-app-id",
            OA_SECRET_KEY, "dev-zalo-oa-secret-key",
            OA_PROVINCES, "dev-zalo-oa:ha-noi");

    public ZaloOaSettings {
        oaSecretKeys = Map.copyOf(oaSecretKeys);
        provinces = Map.copyOf(provinces);
    }

    /** The secret key the events of {@code oaId} are signed with, if this app knows one. */
    public Optional<String> oaSecretKey(String oaId) {
        return Optional.ofNullable(oaSecretKeys.getOrDefault(oaId, oaSecretKeys.get(ANY_OA)));
    }

    /** Never the secret key, should the settings ever be printed. */
    @Override
    public String toString() {
        return "ZaloOaSettings[appId=" + appId + ", oaSecretKeys=" + oaSecretKeys.keySet() + " (keys ***), provinces="
                + provinces + "]";
    }

    static Optional<ZaloOaSettings> from(Settings settings, boolean devMode) {
        List<String> names = List.of(APP_ID, OA_SECRET_KEY, OA_PROVINCES);
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : names) {
            settings.find(name).or(() -> devMode ? Optional.of(DEVELOPMENT.get(name)) : Optional.empty())
                    .ifPresent(value -> values.put(name, value));
        }
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() < names.size()) {
            throw new IllegalStateException("the Zalo OA webhook needs all of " + String.join(", ", names)
                    + " or none of them; missing " + names.stream().filter(n -> !values.containsKey(n)).toList());
        }
        return Optional.of(new ZaloOaSettings(values.get(APP_ID), parseSecretKeys(values.get(OA_SECRET_KEY)),
                parseProvinces(values.get(OA_PROVINCES))));
    }

    /** One key for every OA, or {@code <oa id>:<key>} pairs (Zalo's keys hold no ':'). */
    static Map<String, String> parseSecretKeys(String text) {
        if (!text.contains(":")) {
            return Map.of(ANY_OA, text.strip());
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int colon = pair.indexOf(':');
            String oaId = pair.substring(0, colon).strip();
            String key = pair.substring(colon + 1).strip();
            if (oaId.isEmpty() || key.isEmpty() || keys.put(oaId, key) != null) {
                throw new IllegalStateException(OA_SECRET_KEY + " takes one key, or <oa id>:<key> pairs with each OA"
                        + " once; OA '" + oaId + "' is not");
            }
        }
        return keys;
    }

    /** {@code oaId:province} pairs; a province nobody can find is a typo, refused at start rather than at night. */
    static Map<String, String> parseProvinces(String text) {
        Map<String, String> provinces = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int colon = pair.indexOf(':');
            String oaId = colon < 0 ? "" : pair.substring(0, colon).strip();
            String province = colon < 0 ? "" : pair.substring(colon + 1).strip();
            if (oaId.isEmpty() || province.isEmpty()) {
                throw new IllegalStateException(OA_PROVINCES + " takes <oa id>:<province> pairs, got '"
                        + pair.strip() + "'");
            }
            String slug = Provinces.lookup(province).map(Province::slug).orElseThrow(() ->
                    new IllegalStateException(OA_PROVINCES + ": no province '" + province + "' (OA " + oaId + ")"));
            if (provinces.put(oaId, slug) != null) {
                throw new IllegalStateException(OA_PROVINCES + ": OA " + oaId + " is given twice");
            }
        }
        return provinces;
    }
}
