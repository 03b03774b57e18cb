package vn.bhxh.shield.ingest.web;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import com.google.common.util.concurrent.RateLimiter;
import java.time.Duration;

/**
 * A token bucket per client (token name, or IP address before sign-in), Guava's {@link RateLimiter}: it stores up
 * to a second of unused permits, enough for a burst of a form's validate calls. A new bucket starts empty, though
 * (Guava's choice), so a request may wait up to {@link #MAX_WAIT} for its permit rather than be refused: a new
 * client's first few requests in quick succession are served, a client that keeps over its rate gets 429. Idle
 * buckets expire so a flood of IP addresses cannot grow the map without bound.
 */
final class RateLimits {

    static final int RETRY_AFTER_SECONDS = 1;
    static final Duration MAX_WAIT = Duration.ofMillis(250);

    private final LoadingCache<String, RateLimiter> buckets;

    @SuppressWarnings("UnstableApiUsage")
    RateLimits(double permitsPerSecond) {
        this.buckets = CacheBuilder.newBuilder()
                .expireAfterAccess(Duration.ofMinutes(10))
                .maximumSize(100_000)
                .build(CacheLoader.from(() -> RateLimiter.create(permitsPerSecond)));
    }

    void acquire(String client) {
        if (!buckets.getUnchecked(client).tryAcquire(MAX_WAIT)) {
            throw new ApiProblem(429, "TOO_MANY_REQUESTS", "Gửi quá nhiều yêu cầu, vui lòng chờ một chút.",
                    java.util.List.of(), RETRY_AFTER_SECONDS);
        }
    }
}
