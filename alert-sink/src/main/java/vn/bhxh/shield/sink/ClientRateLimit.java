package vn.bhxh.shield.sink;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import com.google.common.util.concurrent.RateLimiter;
import java.time.Duration;

/**
 * A token bucket per client address (Guava's {@link RateLimiter}, as reporter-ingest's limits): a client's first
 * request passes, then one per {@link #interval()}. Counted per instance, so n replicas let a client through n times
 * as often. Idle buckets expire and the map is bounded, so a flood of addresses cannot grow it without limit.
 */
final class ClientRateLimit {

    private final Duration interval;
    private final LoadingCache<String, RateLimiter> buckets;

    @SuppressWarnings("UnstableApiUsage")
    ClientRateLimit(int perHour) {
        if (perHour < 1) {
            throw new IllegalArgumentException("at least one request per hour");
        }
        double perSecond = perHour / 3600.0;
        this.interval = Duration.ofMillis((long) Math.ceil(3_600_000.0 / perHour));
        this.buckets = CacheBuilder.newBuilder()
                .expireAfterAccess(interval.plusMinutes(1))
                .maximumSize(100_000)
                .build(CacheLoader.from(() -> RateLimiter.create(perSecond)));
    }

    boolean tryAcquire(String client) {
        return buckets.getUnchecked(client).tryAcquire();
    }

    /** The longest a refused client waits for its next permit: the Retry-After it is told. */
    Duration interval() {
        return interval;
    }
}
