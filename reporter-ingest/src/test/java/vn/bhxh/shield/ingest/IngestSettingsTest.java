package vn.bhxh.shield.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;

class IngestSettingsTest {

    private static final String PSEUDONYM_KEY = "pseudonym-key-of-at-least-32-characters";
    private static final String SESSION_KEY = "session-key-16-chars";

    private static Map<String, String> production() {
        Map<String, String> env = new HashMap<>();
        env.put(IngestSettings.PSEUDONYM_KEY, PSEUDONYM_KEY);
        env.put(IngestSettings.SESSION_KEY, SESSION_KEY);
        env.put(IngestSettings.TOKENS, "operator-token-1234:operator:hotline-1");
        env.put(IngestSettings.FANPAGE_APP_SECRET, "app-secret");
        env.put(IngestSettings.FANPAGE_VERIFY_TOKEN, "verify-token");
        return env;
    }

    @Test
    void thePseudonymKeyAndTheSessionKeyAreTwoSecrets() {
        IngestSettings settings = IngestSettings.from(Settings.of(production()));

        assertThat(new String(settings.pseudonymKey(), StandardCharsets.UTF_8)).isEqualTo(PSEUDONYM_KEY);
        assertThat(new String(settings.sessionKey(), StandardCharsets.UTF_8)).isEqualTo(SESSION_KEY);
    }

    @Test
    void aMissingShortOrSharedKeyIsRefusedByNameNeverByValue() {
        Map<String, String> missing = production();
        missing.remove(IngestSettings.PSEUDONYM_KEY);
        assertThatThrownBy(() -> IngestSettings.from(Settings.of(missing)))
                .hasMessageContaining("INGEST_PSEUDONYM_KEY").hasMessageNotContaining(SESSION_KEY);

        Map<String, String> shortKey = production();
        shortKey.put(IngestSettings.PSEUDONYM_KEY, "only-31-characters-long-secret!");
        assertThatThrownBy(() -> IngestSettings.from(Settings.of(shortKey)))
                .hasMessage("INGEST_PSEUDONYM_KEY must have at least 32 characters");

        Map<String, String> shortSession = production();
        shortSession.put(IngestSettings.SESSION_KEY, "s3cret-short");
        assertThatThrownBy(() -> IngestSettings.from(Settings.of(shortSession)))
                .hasMessageContaining("INGEST_SESSION_KEY").hasMessageNotContaining("s3cret");

        Map<String, String> shared = production();
        shared.put(IngestSettings.SESSION_KEY, PSEUDONYM_KEY);
        assertThatThrownBy(() -> IngestSettings.from(Settings.of(shared)))
                .hasMessage("INGEST_PSEUDONYM_KEY and INGEST_SESSION_KEY must be different secrets");
    }

    @Test
    void developmentModeFillsInTwoDifferentDocumentedKeys() {
        IngestSettings settings = IngestSettings.from(Settings.of(Map.of(IngestSettings.DEV_MODE, "true")));

        assertThat(settings.pseudonymKey()).isNotEqualTo(settings.sessionKey());
        assertThat(IngestSettings.DEVELOPMENT.get(IngestSettings.PSEUDONYM_KEY)).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void zaloOaIsOffUnlessConfiguredWholeAndMapsEachOaToAProvince() {
        assertThat(IngestSettings.from(Settings.of(production())).zaloOa()).isEmpty();

        Map<String, String> zalo = production();
        zalo.put(ZaloOaSettings.APP_ID, "2553928453557884079");
        zalo.put(ZaloOaSettings.OA_SECRET_KEY, "oa-secret");
        zalo.put(ZaloOaSettings.OA_PROVINCES, "3662729599332560487:Thanh Hóa, 1111:ha-noi");
        assertThat(IngestSettings.from(Settings.of(zalo)).zaloOa()).hasValueSatisfying(oa -> assertThat(
                oa.provinces()).containsExactlyInAnyOrderEntriesOf(Map.of("3662729599332560487", "thanh-hoa",
                "1111", "ha-noi")));
        assertThat(IngestSettings.from(Settings.of(zalo)).toString()).contains("2553928453557884079")
                .doesNotContain("oa-secret");
        assertThat(IngestSettings.from(Settings.of(zalo)).zaloOa().orElseThrow().oaSecretKey("any-oa"))
                .hasValue("oa-secret");

        // Each OA its own key: an OA not named has none, and no key is ever printed.
        Map<String, String> perOa = new HashMap<>(zalo);
        perOa.put(ZaloOaSettings.OA_SECRET_KEY, "3662729599332560487:key-th, 1111:key-hn");
        ZaloOaSettings keys = IngestSettings.from(Settings.of(perOa)).zaloOa().orElseThrow();
        assertThat(keys.oaSecretKey("1111")).hasValue("key-hn");
        assertThat(keys.oaSecretKey("2222")).isEmpty();
        assertThat(keys.toString()).doesNotContain("key-th", "key-hn");
        perOa.put(ZaloOaSettings.OA_SECRET_KEY, "1111:key-hn,1111:other");
        assertThatThrownBy(() -> IngestSettings.from(Settings.of(perOa))).hasMessageContaining("1111")
                .hasMessageNotContaining("key-hn");

        Map<String, String> partial = production();
        partial.put(ZaloOaSettings.OA_SECRET_KEY, "oa-secret");
        assertThatThrownBy(() -> IngestSettings.from(Settings.of(partial)))
                .hasMessageContaining(ZaloOaSettings.APP_ID).hasMessageNotContaining("oa-secret");
        zalo.put(ZaloOaSettings.OA_PROVINCES, "3662729599332560487:Atlantis");
        assertThatThrownBy(() -> IngestSettings.from(Settings.of(zalo))).hasMessageContaining("Atlantis");
        zalo.put(ZaloOaSettings.OA_PROVINCES, "ha-noi");
        assertThatThrownBy(() -> IngestSettings.from(Settings.of(zalo))).hasMessageContaining("<oa id>:<province>");
    }
}
