package vn.bhxh.shield.sink;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Failed dashboard sign-ins, counted per client address and per user name in a fixed window from the first
 * failure: once either has too many, sign-in is refused, even with the right password, until the window ends.
 * Successful sign-ins are never counted, so offices that sign in often are never slowed. Counts are per instance
 * (two replicas give a guesser at most twice the tries). Guessing one user's password from many addresses locks
 * that user out for the window: the price of stopping the guessing. Idle windows expire, and the map is bounded,
 * so a flood of addresses cannot grow it without limit.
 */
final class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(15);
    static final int FAILURES_PER_USER = 10;
    static final int FAILURES_PER_ADDRESS = 30;

    private record Window(long startNanos, AtomicInteger failures) {
    }

    private final Ticker ticker;
    private final Cache<String, Window> windows;

    LoginThrottle(Ticker ticker) {
        this.ticker = ticker;
        this.windows = CacheBuilder.newBuilder().ticker(ticker).expireAfterWrite(WINDOW).maximumSize(100_000).build();
    }

    /** How long the client must wait before trying again, if either its address or the user is over the limit. */
    Optional<Duration> retryAfter(String address, String user) {
        return Stream.of(over("address:" + address, FAILURES_PER_ADDRESS), over(userKey(user), FAILURES_PER_USER))
                .flatMap(Optional::stream)
                .max(Duration::compareTo);
    }

    void failed(String address, String user) {
        for (String key : new String[] {"address:" + address, userKey(user)}) {
            try {
                windows.get(key, () -> new Window(ticker.read(), new AtomicInteger())).failures().incrementAndGet();
            } catch (ExecutionException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /**
     * Names of no account are counted too, so a 429 never tells a guesser which names exist; hashed, so a
     * megabyte-long name costs the map no more than a short one.
     */
    private static String userKey(String user) {
        return "user:" + Hashing.sha256().hashString(user, StandardCharsets.UTF_8);
    }

    private Optional<Duration> over(String key, int limit) {
        Window window = windows.getIfPresent(key);
        if (window == null || window.failures().get() < limit) {
            return Optional.empty();
        }
        Duration left = WINDOW.minusNanos(ticker.read() - window.startNanos());
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
    }
}
