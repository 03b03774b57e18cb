package vn.bhxh.shield.sink;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.runtime.PasswordHashes;
import vn.bhxh.shield.runtime.SessionCookies;
import vn.bhxh.shield.runtime.Settings;

/**
 * Who may open the province dashboard, from {@code SINK_USERS=user:bcrypt-hash:province-slug|national,...} (the hash
 * from {@code bhxh-ops hash-password}; a plain password is refused at start), and their
 * sessions: stateless {@link SessionCookies} signed with {@code SINK_SESSION_KEY}, so every replica accepts them
 * without sticky sessions. A session is bound to the digest of the user's entry: changing the password or the
 * scope, or removing the user, ends it. Its CSRF token, derived from the cookie, must be echoed by every
 * state-changing request.
 */
final class DashboardUsers {

    static final String SESSION_KEY = "SINK_SESSION_KEY";
    static final int MIN_KEY_LENGTH = 16;
    /** A working day; signing out clears the cookie, a copy taken before stays valid until then (nothing is stored). */
    static final Duration SESSION_LENGTH = Duration.ofHours(8);

    /** A province office account ({@code scope} = its slug) or a national one ({@code scope} = national). */
    record User(String name, String scope) {
    }

    record Session(User user, String csrfToken) {
    }

    record Account(User user, String passwordHash, String entryDigest) {
    }

    private final Map<String, Account> accounts;
    private final SessionCookies cookies;

    private DashboardUsers(Map<String, Account> accounts, SessionCookies cookies) {
        this.accounts = accounts;
        this.cookies = cookies;
    }

    /** {@code SINK_USERS} and, when it lists anyone, {@code SINK_SESSION_KEY} of at least 16 characters. */
    static DashboardUsers fromSettings(Settings settings, Clock clock) {
        Map<String, Account> accounts = parse(settings.string("SINK_USERS", ""));
        byte[] key;
        if (accounts.isEmpty()) {
            key = new byte[32]; // nobody can sign in, so no session needs to be shared
            new SecureRandom().nextBytes(key);
        } else {
            String configured = settings.find(SESSION_KEY).orElse("");
            if (configured.length() < MIN_KEY_LENGTH) {
                throw new IllegalStateException(SESSION_KEY + " of at least " + MIN_KEY_LENGTH
                        + " characters is required with SINK_USERS (the same on every replica)");
            }
            key = configured.getBytes(StandardCharsets.UTF_8);
        }
        return new DashboardUsers(accounts, new SessionCookies(key, "dashboard-session-v1", SESSION_LENGTH, clock));
    }

    static Map<String, Account> parse(String config) {
        Map<String, Account> accounts = new LinkedHashMap<>();
        String[] entries = config.split(",");
        for (int i = 0; i < entries.length; i++) {
            if (entries[i].isBlank()) {
                continue;
            }
            String entry = entries[i].trim();
            String[] parts = entry.split(":", 3);
            if (parts.length != 3 || parts[1].isEmpty()
                    || !(parts[2].equals(Webhook.NATIONAL) || Provinces.bySlug(parts[2]).isPresent())) {
                // The position, never the text: a malformed entry may be (part of) a password.
                throw new IllegalStateException("SINK_USERS entry " + (i + 1)
                        + ": expected user:bcrypt-hash:province-slug|national");
            }
            if (!PasswordHashes.isHash(parts[1])) {
                throw new IllegalStateException("SINK_USERS entry " + (i + 1) + ": the password must be stored as its"
                        + " BCrypt hash ($2a$12$...), made by bhxh-ops hash-password, never in plain text");
            }
            accounts.put(parts[0], new Account(new User(parts[0], parts[2]), parts[1],
                    Hashing.sha256().hashString(entry, StandardCharsets.UTF_8).toString()));
        }
        return Map.copyOf(accounts);
    }

    /** A session cookie for the user if the password matches its hash (the library compares in constant time). */
    Optional<String> signIn(String name, String password) {
        Account account = name == null ? null : accounts.get(name);
        // An unknown name costs the same BCrypt work as a wrong password: the time taken tells no one which names exist.
        Optional<String> hash = Optional.ofNullable(account).or(() -> accounts.values().stream().findFirst())
                .map(Account::passwordHash);
        boolean matches = hash.isPresent() && PasswordHashes.matches(hash.get(), password);
        if (account == null || !matches) {
            return Optional.empty();
        }
        return Optional.of(cookies.issue(name, account.user().scope(), account.entryDigest()));
    }

    Optional<Session> session(String cookie) {
        return cookies.verify(cookie, name -> Optional.ofNullable(accounts.get(name)).map(Account::entryDigest))
                .map(claims -> new Session(accounts.get(claims.name()).user(), cookies.csrfToken(cookie)));
    }

    boolean csrfValid(String cookie, String presented) {
        return cookies.csrfValid(cookie, presented);
    }
}
