package vn.bhxh.shield.ingest.intake;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * At most one write in flight per key, without holding a thread while it is: a second attempt for a key that is being
 * written starts only when the first has ended (committed, or failed), so it sees what the first left behind. This is
 * what keeps two requests with one Idempotency-Key from both writing a report while their transactions are still
 * open (a lock held across the wait would pin a server thread per request, and could not be released from the
 * thread that completes the commit).
 */
final class OneWritePerKey {

    /** The keys being written now, each with what completes when its write has ended. */
    private final Map<String, CompletableFuture<Void>> writing = new ConcurrentHashMap<>();

    /**
     * Runs {@code attempt} once no other attempt for {@code key} is in flight, and returns what it returns. An
     * attempt that throws fails the returned future and frees the key like any other end.
     */
    <T> CompletableFuture<T> run(String key, Supplier<CompletableFuture<T>> attempt) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> earlier = writing.putIfAbsent(key, mine);
        if (earlier != null) {
            // Rare (a retry while the first try is in flight): try again once it has ended, off the thread ending it.
            return earlier.thenComposeAsync(ended -> run(key, attempt));
        }
        CompletableFuture<T> result;
        try {
            result = attempt.get();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((value, failure) -> {
            writing.remove(key, mine);
            mine.complete(null);
        });
    }
}
