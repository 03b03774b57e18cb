package vn.bhxh.shield.ingest.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The idempotency replies of the last {@code keepFor} (the idempotency topic's retention), by scoped key. An older
 * key is not honoured even before it is evicted: Kafka deletes it then anyway, so a restarted instance would not
 * know it either, and every instance must answer alike. Evicting what is older bounds the memory by the intake
 * rate rather than by the service's uptime.
 * <p>
 * Memory, 64-bit JVM with compressed pointers and compact strings: about 600 bytes a key, of which the key and the
 * request hash (64 hex characters each) take ~100 bytes each, the stored reply body (JSON receipt) ~300 for a
 * report with one or two numbers, and the map node, entry and reply objects ~100. 100,000 keys a week take ~60 MB.
 * <p>
 * So that a burst of keys cannot exhaust the heap (the benchmark's 1M keys drove a 384 MB instance into back-to-back
 * full GCs), at most {@code maxKeys} are held: past it the oldest written goes first, and a retry of it would write
 * a second copy. {@link #evictedEarly()} counts them; size {@code maxKeys} to a week of the busiest intake.
 */
final class RecentReplies {

    private record Entry(StoredReply reply, Instant writtenAt) {
    }

    private final int maxKeys;
    private long evictedEarly;
    /** In the order written (replayed at start-up in topic order, then live), so the eldest is the oldest. */
    private final Map<String, Entry> byKey = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            if (size() <= maxKeys) {
                return false;
            }
            evictedEarly++;
            return true;
        }
    };
    private final Duration keepFor;

    RecentReplies(Duration keepFor, int maxKeys) {
        this.keepFor = keepFor;
        this.maxKeys = maxKeys;
    }

    synchronized void put(String key, StoredReply reply, Instant writtenAt) {
        byKey.put(key, new Entry(reply, writtenAt));
    }

    synchronized void remove(String key) {
        byKey.remove(key);
    }

    /** The reply of a key written less than {@code keepFor} before {@code now}. */
    synchronized Optional<StoredReply> find(String key, Instant now) {
        Entry entry = byKey.get(key);
        return entry == null || expired(entry, now) ? Optional.empty() : Optional.of(entry.reply());
    }

    /** Forgets every key written {@code keepFor} or longer before {@code now}; returns how many. */
    synchronized int evictExpired(Instant now) {
        int before = byKey.size();
        byKey.values().removeIf(entry -> expired(entry, now));
        return before - byKey.size();
    }

    synchronized int size() {
        return byKey.size();
    }

    /** Keys forgotten before their time because {@code maxKeys} were held. */
    synchronized long evictedEarly() {
        return evictedEarly;
    }

    private boolean expired(Entry entry, Instant now) {
        return !entry.writtenAt().plus(keepFor).isAfter(now);
    }
}
