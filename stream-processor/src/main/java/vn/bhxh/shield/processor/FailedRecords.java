package vn.bhxh.shield.processor;

import com.google.common.base.Throwables;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How often each record has failed, shared by the processing exception handler (which decides: retry or dead
 * letter) and the stream threads' supervisor (which must know that a thread died because a retry was asked for,
 * not because something is broken). Kept across thread replacements, lost with the process: after a restart a
 * record gets its attempts again, which is a bounded number of extra tries, never a skip.
 */
final class FailedRecords {

    /** More distinct failing records than this in memory means something fails everything; start counting anew. */
    private static final int MAX_TRACKED = 10_000;

    private final int attempts;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    // The exceptions a retry was asked for, by identity, so the supervisor recognises them in what killed a thread.
    private final Set<Throwable> retries = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    FailedRecords(int attempts) {
        this.attempts = attempts;
    }

    /**
     * Counts one more failure of the record at {@code where}; true when it has attempts left, so the task should be
     * restarted from its last commit and the record tried again; false when it is to be dead-lettered.
     */
    boolean retry(String where, Exception failure) {
        if (failures.size() >= MAX_TRACKED) {
            failures.clear();
        }
        int failed = failures.merge(where, 1, Integer::sum);
        if (failed < attempts) {
            retries.add(failure);
            return true;
        }
        failures.remove(where);
        return false;
    }

    int attempts() {
        return attempts;
    }

    /** Whether {@code death} (what killed a stream thread) is a retry this class asked for. */
    boolean isRetry(Throwable death) {
        return Throwables.getCausalChain(death).stream().anyMatch(retries::remove);
    }
}
