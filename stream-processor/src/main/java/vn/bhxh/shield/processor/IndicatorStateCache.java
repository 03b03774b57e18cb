package vn.bhxh.shield.processor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * Keeps the indicators the stream thread touched last as objects, on top of the indicator store, and writes the
 * changed ones down only when the task commits; a state put back equal to what was loaded is not written at all.
 * <p>
 * Why: Kafka Streams' own record cache sits below the serde, so every report deserialised and re-serialised its
 * indicator's whole state (the sightings of up to {@link Rules#maxSightings()} people): 35 % of the stream thread
 * in the benchmark's profile, nearly all of it on the few hot numbers that most reports name. Here a hot number's
 * state is decoded once and encoded once per commit, whatever the number of its reports in between.
 * <p>
 * Why this is exactly-once: Streams calls {@link #flushCache()} on the stores it registered (this one, as the
 * outermost) when it prepares a commit, before the producer flushes and commits the transaction; the changed
 * states then go to the changelog in that transaction, as the built-in cache's entries do. On a dirty close
 * ({@link #clearCache()}) the changes not written are dropped with the aborted transaction, and the task restores.
 * <p>
 * Only the thread that initialised the store (its stream thread) sees the objects: interactive queries from the
 * lookup API's threads read the store below, so they see the state of the last commit (at most one commit
 * interval old) and never an object the stream thread is changing.
 */
final class IndicatorStateCache extends WrappedStateStore<KeyValueStore<String, IndicatorState>, String, IndicatorState>
        implements KeyValueStore<String, IndicatorState> {

    /** Objects kept at most: a hot indicator's state is tens of kilobytes, and the heap is a few hundred MB. */
    static final int MAX_ENTRIES = 1_000;

    private static final class Cached {
        final IndicatorState state;
        boolean dirty;

        Cached(IndicatorState state, boolean dirty) {
            this.state = state;
            this.dirty = dirty;
        }
    }

    private final Map<String, Cached> cache = new LinkedHashMap<>(MAX_ENTRIES * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            if (size() <= MAX_ENTRIES) {
                return false;
            }
            if (eldest.getValue().dirty) {
                wrapped().put(eldest.getKey(), eldest.getValue().state);
            }
            return true;
        }
    };
    private volatile Thread owner;

    IndicatorStateCache(KeyValueStore<String, IndicatorState> store) {
        super(store);
    }

    /** Builds the store below as {@code inner} does and puts this cache on top. */
    static StoreBuilder<KeyValueStore<String, IndicatorState>> on(
            StoreBuilder<KeyValueStore<String, IndicatorState>> inner) {
        return new WrappingStoreBuilder<>(inner, IndicatorStateCache::new);
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        owner = Thread.currentThread();
        cache.clear();
        super.init(context, root);
    }

    private boolean owned() {
        return Thread.currentThread() == owner;
    }

    @Override
    public IndicatorState get(String key) {
        if (!owned()) {
            return wrapped().get(key);
        }
        Cached cached = cache.get(key);
        if (cached != null) {
            return cached.state;
        }
        IndicatorState state = wrapped().get(key);
        if (state != null) {
            cache.put(key, new Cached(state, false));
        }
        return state;
    }

    /**
     * A value equal to the state as loaded or last written (a duplicate, a report too late to count from a
     * province and account already known, a refused decision, a tick with nothing due) leaves the entry clean:
     * only changed states are written down. So callers change a copy of what {@link #get} returned, never the
     * object itself: the cached object is what the new value is compared with. Compared only while clean: at most
     * once per key and commit, however many reports a hot number gets.
     */
    @Override
    public void put(String key, IndicatorState value) {
        if (value == null) {
            delete(key);
            return;
        }
        Cached cached = cache.get(key);
        boolean unchanged = cached != null && !cached.dirty && cached.state != value && cached.state.equals(value);
        cache.put(key, new Cached(value, !unchanged));
    }

    @Override
    public IndicatorState putIfAbsent(String key, IndicatorState value) {
        IndicatorState existing = get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public void putAll(List<KeyValue<String, IndicatorState>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public IndicatorState delete(String key) {
        Cached cached = cache.remove(key);
        IndicatorState old = wrapped().delete(key);
        return cached != null ? cached.state : old;
    }

    /** Writes the changed states to the store below (and so to its cache and changelog), then flushes that. */
    @Override
    public void flushCache() {
        writeDirty();
        super.flushCache();
    }

    @Override
    public void clearCache() {
        cache.clear();
        super.clearCache();
    }

    private void writeDirty() {
        if (!owned()) {
            return;
        }
        cache.forEach((key, cached) -> {
            if (cached.dirty) {
                wrapped().put(key, cached.state);
                cached.dirty = false;
            }
        });
    }

    // Scans read the store below, after writing the changed states down so that they see them.

    @Override
    public KeyValueIterator<String, IndicatorState> range(String from, String to) {
        writeDirty();
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<String, IndicatorState> reverseRange(String from, String to) {
        writeDirty();
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<String, IndicatorState> all() {
        writeDirty();
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<String, IndicatorState> reverseAll() {
        writeDirty();
        return wrapped().reverseAll();
    }

    @Override
    public <P extends Serializer<Q>, Q> KeyValueIterator<String, IndicatorState> prefixScan(Q prefix, P serializer) {
        writeDirty();
        return wrapped().prefixScan(prefix, serializer);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }

    @Override
    public void close() {
        cache.clear();
        super.close();
    }
}
