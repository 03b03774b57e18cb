package vn.bhxh.shield.processor;

import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Builds a store as {@code inner} does (name, changelog, record cache) and puts {@code wrapper} around it: how the
 * processor's object caches ({@link IndicatorStateCache}, {@link WeeklyTrendCounter.Weeks}) sit on top of a
 * store, outermost, so Streams registers them and calls their {@code flushCache} before it commits.
 */
final class WrappingStoreBuilder<S extends StateStore, T extends StateStore> implements StoreBuilder<T> {

    private final StoreBuilder<S> inner;
    private final Function<S, T> wrapper;

    WrappingStoreBuilder(StoreBuilder<S> inner, Function<S, T> wrapper) {
        this.inner = inner;
        this.wrapper = wrapper;
    }

    @Override
    public StoreBuilder<T> withCachingEnabled() {
        inner.withCachingEnabled();
        return this;
    }

    @Override
    public StoreBuilder<T> withCachingDisabled() {
        inner.withCachingDisabled();
        return this;
    }

    @Override
    public StoreBuilder<T> withLoggingEnabled(Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<T> withLoggingDisabled() {
        inner.withLoggingDisabled();
        return this;
    }

    @Override
    public T build() {
        return wrapper.apply(inner.build());
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}
