package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The object cache on top of the indicator store: what reaches the store below, and when. */
class IndicatorStateCacheTest {

    private final AtomicInteger decoded = new AtomicInteger();
    private final AtomicInteger encoded = new AtomicInteger();
    private IndicatorStateCache cache;

    @BeforeEach
    void open() {
        IndicatorStateSerde serde = new IndicatorStateSerde();
        var counting = Serdes.serdeFrom((topic, state) -> {
            encoded.incrementAndGet();
            return serde.serialize(topic, state);
        }, (topic, bytes) -> {
            decoded.incrementAndGet();
            return serde.deserialize(topic, bytes);
        });
        cache = (IndicatorStateCache) IndicatorStateCache.on(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("indicator-state"),
                Serdes.String(), counting).withLoggingDisabled()).build();
        var context = new MockProcessorContext<>();
        cache.init(context.getStateStoreContext(), cache);
    }

    @Test
    void aStateChangedByManyReportsIsDecodedOnceAndWrittenDownOncePerCommit() {
        cache.put("tel:+84904038115", state(1));
        cache.flushCache();
        encoded.set(0);
        decoded.set(0);
        for (int report = 2; report <= 100; report++) {
            IndicatorState state = cache.get("tel:+84904038115");
            state.touch(report);
            cache.put("tel:+84904038115", state);
        }
        assertThat(decoded).hasValue(0);
        assertThat(encoded).hasValue(0);
        assertThat(fromAnotherThread("tel:+84904038115").lastSeen).isEqualTo(1);

        cache.flushCache();
        assertThat(encoded).hasValue(1);
        assertThat(fromAnotherThread("tel:+84904038115").lastSeen).isEqualTo(100);
    }

    @Test
    void changesNotYetCommittedAreDroppedWithAnAbortedTransaction() {
        cache.put("tel:+84904038115", state(1));
        cache.flushCache();
        IndicatorState state = cache.get("tel:+84904038115");
        state.touch(50);
        cache.put("tel:+84904038115", state);
        cache.put("tel:+84911111111", state(7));

        cache.clearCache();
        assertThat(cache.get("tel:+84904038115").lastSeen).isEqualTo(1);
        assertThat(cache.get("tel:+84911111111")).isNull();
    }

    @Test
    void scansAndDeletesSeeTheChangesNotYetWritten() {
        cache.put("tel:+84904038115", state(1));
        cache.put("tel:+84911111111", state(2));
        try (var all = cache.all()) {
            assertThat(all).toIterable().extracting(entry -> entry.key)
                    .containsExactlyInAnyOrder("tel:+84904038115", "tel:+84911111111");
        }
        cache.delete("tel:+84904038115");
        cache.flushCache();
        assertThat(cache.get("tel:+84904038115")).isNull();
        assertThat(fromAnotherThread("tel:+84904038115")).isNull();
    }

    @Test
    void pastItsSizeTheLeastRecentlyUsedChangedStateIsWrittenDownNotLost() {
        for (int i = 0; i <= IndicatorStateCache.MAX_ENTRIES; i++) {
            cache.put("tel:+8490" + (4_000_000 + i), state(i));
        }
        // The first one was pushed out of the cache, and so written to the store below before any commit.
        assertThat(fromAnotherThread("tel:+8490" + 4_000_000).lastSeen).isZero();
        assertThat(fromAnotherThread("tel:+8490" + 4_000_001)).isNull();
    }

    @Test
    void aStatePutBackUnchangedIsNotWrittenDown() {
        cache.put("tel:+84904038115", state(1));
        cache.flushCache();
        encoded.set(0);

        // A record that changes nothing: the rules worked on a copy and it came back equal.
        cache.put("tel:+84904038115", cache.get("tel:+84904038115").copy());
        cache.flushCache();
        assertThat(encoded).hasValue(0);

        IndicatorState changed = cache.get("tel:+84904038115").copy();
        changed.touch(2);
        cache.put("tel:+84904038115", changed);
        // Equal to the change not yet written, it is still written: it differs from what the store holds.
        cache.put("tel:+84904038115", changed.copy());
        cache.flushCache();
        assertThat(encoded).hasValue(1);
        assertThat(fromAnotherThread("tel:+84904038115").lastSeen).isEqualTo(2);
    }

    @Test
    void aStateLoadedFromTheStoreAndPutBackEqualIsNotWrittenDown() {
        cache.put("tel:+84904038115", state(1));
        cache.flushCache();
        cache.clearCache(); // as after a restart: only the store below has it
        encoded.set(0);
        decoded.set(0);

        cache.put("tel:+84904038115", cache.get("tel:+84904038115").copy());
        cache.flushCache();
        assertThat(decoded).hasValue(1);
        assertThat(encoded).hasValue(0);
    }

    private IndicatorState fromAnotherThread(String key) {
        return CompletableFuture.supplyAsync(() -> cache.get(key)).join();
    }

    private static IndicatorState state(long seen) {
        IndicatorState state = new IndicatorState();
        state.touch(seen);
        return state;
    }
}
