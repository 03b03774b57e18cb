package vn.bhxh.shield.sink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import vn.bhxh.shield.runtime.Settings;

/**
 * Seals an appellant's contact and explanation before they go on {@code bhxh.appeals.v1}: AES-256-GCM (the JDK's
 * javax.crypto) under {@code SINK_APPEAL_KEY}, a random 96-bit nonce per value, and the field's purpose plus the
 * appeal id as associated data, so a sealed value cannot be moved to another field or another appeal. Only alert-sink
 * holds the key: a reader of the topic (an operator with kafka-console-consumer, a backup) sees no contact.
 * Layout: version byte 1, nonce, ciphertext with its 128-bit tag.
 */
final class AppealSeal {

    static final String KEY_SETTING = "SINK_APPEAL_KEY";
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    AppealSeal(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key has 32 bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * The seal of {@code SINK_APPEAL_KEY} (base64 of 32 random bytes: {@code openssl rand -base64 32}), or empty
     * when it is unset: then the sink takes no appeals. A key that is malformed or equal to {@code SINK_SESSION_KEY}
     * is refused by name, never quoted (a leaked session key must not also open every appellant's contact).
     */
    static Optional<AppealSeal> fromSettings(Settings settings) {
        Optional<String> configured = settings.find(KEY_SETTING).filter(value -> !value.isBlank());
        if (configured.isEmpty()) {
            return Optional.empty();
        }
        if (configured.equals(settings.find(DashboardUsers.SESSION_KEY))) {
            throw new IllegalStateException(KEY_SETTING + " must be a secret of its own, not " + DashboardUsers.SESSION_KEY);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(configured.get().strip());
        } catch (IllegalArgumentException notBase64) {
            key = new byte[0];
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException(KEY_SETTING + " must be base64 of 32 random bytes (openssl rand -base64 32)");
        }
        return Optional.of(new AppealSeal(key));
    }

    byte[] seal(String plain, String purpose, String appealId) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, purpose, appealId);
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is in every JDK", e);
        }
    }

    /** The plain text, or empty for a value sealed under another key, for another field or appeal, or altered. */
    Optional<String> open(ByteBuffer sealed, String purpose, String appealId) {
        ByteBuffer in = sealed.duplicate();
        if (in.remaining() < 1 + NONCE_BYTES || in.get() != VERSION) {
            return Optional.empty();
        }
        byte[] nonce = new byte[NONCE_BYTES];
        in.get(nonce);
        byte[] body = new byte[in.remaining()];
        in.get(body);
        try {
            return Optional.of(new String(cipher(Cipher.DECRYPT_MODE, nonce, purpose, appealId).doFinal(body),
                    StandardCharsets.UTF_8));
        } catch (GeneralSecurityException wrongKeyOrAltered) {
            return Optional.empty();
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String purpose, String appealId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD((purpose + "|" + appealId).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
