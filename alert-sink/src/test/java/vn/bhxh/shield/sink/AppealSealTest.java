package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;

class AppealSealTest {

    private static final String CONTACT = "chu.so@example.vn";

    @Test
    void aSealedValueOpensOnlyWithItsKeyForItsFieldAndAppeal() {
        AppealSeal seal = new AppealSeal(key());
        byte[] sealed = seal.seal(CONTACT, "contact", "appeal-1");

        assertThat(new String(sealed, StandardCharsets.UTF_8)).doesNotContain("chu.so", "example");
        assertThat(seal.open(ByteBuffer.wrap(sealed), "contact", "appeal-1")).hasValue(CONTACT);
        assertThat(seal.open(ByteBuffer.wrap(sealed), "explanation", "appeal-1")).as("another field").isEmpty();
        assertThat(seal.open(ByteBuffer.wrap(sealed), "contact", "appeal-2")).as("another appeal").isEmpty();
        assertThat(new AppealSeal(key()).open(ByteBuffer.wrap(sealed), "contact", "appeal-1")).as("another key")
                .isEmpty();
        sealed[sealed.length - 1] ^= 1;
        assertThat(seal.open(ByteBuffer.wrap(sealed), "contact", "appeal-1")).as("altered").isEmpty();
        assertThat(seal.open(ByteBuffer.wrap(new byte[3]), "contact", "appeal-1")).as("truncated").isEmpty();
        assertThat(seal.seal(CONTACT, "contact", "appeal-1")).as("a fresh nonce each time")
                .isNotEqualTo(seal.seal(CONTACT, "contact", "appeal-1"));
    }

    @Test
    void theKeyIsBase64Of32BytesOfItsOwnAndNeverQuotedWhenRefused() {
        String good = Base64.getEncoder().encodeToString(key());
        assertThat(AppealSeal.fromSettings(Settings.of(Map.of()))).as("appeals off").isEmpty();
        assertThat(AppealSeal.fromSettings(Settings.of(Map.of("SINK_APPEAL_KEY", good)))).isPresent();
        assertThatThrownBy(() -> AppealSeal.fromSettings(Settings.of(Map.of("SINK_APPEAL_KEY", "s3cret-too-short"))))
                .hasMessageContaining("SINK_APPEAL_KEY").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> AppealSeal.fromSettings(Settings.of(Map.of("SINK_APPEAL_KEY", good,
                "SINK_SESSION_KEY", good)))).hasMessageContaining("SINK_SESSION_KEY").hasMessageNotContaining(good);
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
