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
 * Zalo signs every event with the app id and the OA secret key of the app's link to its OAs, so one pair serves
 * every OA linked to the app. The channel is optional: without any of its settings (outside dev mode) the webhook
 * is not offered; with only some of them the service refuses to start rather than refuse every event.
 *
 * @param appId        the Zalo app's id (developers.zalo.me), part of every event's signature
 * @param oaSecretKey  the OA secret key (not the app secret key), part of every event's signature
 * @param provinces    the province slug of each OA id: a report sent to an OA is that province's report
 */
public record ZaloOaSettings(String appId, String oaSecretKey, Map<String, String> provinces) {

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
        provinces = Map.copyOf(provinces);
    }

    /** Never the secret key, should the settings ever be printed. */
    @Override
    public String toString() {
        return "ZaloOaSettings[appId=" + appId + ", oaSecretKey=***, provinces=" + provinces + "]";
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
        return Optional.of(new ZaloOaSettings(values.get(APP_ID), values.get(OA_SECRET_KEY),
                parseProvinces(values.get(OA_PROVINCES))));
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
