package vn.bhxh.shield.runtime;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Passwords that people type (the dashboard's accounts) are kept only as BCrypt hashes in the modular-crypt form
 * {@code $2y$<cost>$<salt and hash>}: 60 characters of {@code [./A-Za-z0-9$]}, so never a {@code :} or {@code ,}
 * that would split a {@code user:hash:scope} list. Made by {@code bhxh-ops hash-password}.
 */
public final class PasswordHashes {

    /** About a quarter of a second on a server core in 2026: slow for a guesser, unnoticed at sign-in. */
    public static final int COST = 12;
    /** BCrypt reads at most 72 bytes; a longer password is refused rather than silently cut. */
    public static final int MAX_PASSWORD_BYTES = 72;
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    private PasswordHashes() {
    }

    /** Whether the text is a BCrypt hash (and so not a password pasted where its hash belongs). */
    public static boolean isHash(String text) {
        return BCRYPT.matcher(text).matches();
    }

    /** A new hash with a random salt at {@link #COST}. */
    public static String hash(char[] password) {
        return hash(password, COST);
    }

    /** A new hash at the given cost (4..31); tests use the lowest to stay fast, the stored cost is what verifies. */
    public static String hash(char[] password, int cost) {
        if (password.length == 0) {
            throw new IllegalArgumentException("the password is empty");
        }
        if (StandardCharsets.UTF_8.encode(CharBuffer.wrap(password)).remaining() > MAX_PASSWORD_BYTES) {
            throw new IllegalArgumentException("the password is longer than " + MAX_PASSWORD_BYTES + " bytes");
        }
        return BCrypt.withDefaults().hashToString(cost, password);
    }

    /** Whether the password matches the hash; the library compares in constant time. */
    public static boolean matches(String hash, String password) {
        if (password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return false; // could never have been hashed, so it matches nothing
        }
        return BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
    }

    /**
     * {@code user:password:scope,...} with each password replaced by its hash: how the local stack and the tests
     * keep their readable development passwords while the sink is given only hashes.
     */
    public static String hashPasswordsIn(String accounts, int cost) {
        return Arrays.stream(accounts.split(",")).map(entry -> {
            String[] parts = entry.split(":", 3);
            return parts[0] + ":" + hash(parts[1].toCharArray(), cost) + ":" + parts[2];
        }).collect(Collectors.joining(","));
    }
}
