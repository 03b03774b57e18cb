package vn.bhxh.shield.runtime;

import java.time.Duration;

/**
 * How long a service waits before trying again something that failed for a reason outside it (a loop that threw,
 * a registry that did not answer): {@code initial}, doubling with every failure in a row, never more than
 * {@code max}. Read from {@code <PREFIX>RETRY_BACKOFF_MS} and {@code <PREFIX>RETRY_MAX_BACKOFF_MS}.
 */
public record Backoff(Duration initial, Duration max) {

    public static final Duration DEFAULT_INITIAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(30);

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff must be positive and its cap at least the first wait: "
                    + initial + ", " + max);
        }
    }

    /** @param prefix the service's setting prefix, e.g. {@code SINK_} */
    public static Backoff fromSettings(Settings settings, String prefix) {
        return new Backoff(
                Duration.ofMillis(settings.integer(prefix + "RETRY_BACKOFF_MS", (int) DEFAULT_INITIAL.toMillis())),
                Duration.ofMillis(settings.integer(prefix + "RETRY_MAX_BACKOFF_MS", (int) DEFAULT_MAX.toMillis())));
    }

    /** The wait after the {@code failures}-th failure in a row (1 for the first). */
    public Duration after(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        long millis = initial.toMillis() << doublings;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
