package vn.bhxh.shield.processor;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.WeeklyTrend;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;
import vn.bhxh.shield.trend.ReportWeeks;

/**
 * Counts reports per ISO week (Vietnam time) for the trends of the national board and its metrics
 * ({@link WeeklyTrends} says what counts), beside the rules on the same input: each task counts the reports of its
 * partition of {@code bhxh.indicator-events.v1} in a small changelogged store of the last
 * {@link TrendSettings#weeks()} weeks, and writes, every {@link TrendSettings#emitInterval()} (wall clock), the weeks
 * that changed to the compacted {@code bhxh.trends.v1}, keyed {@code <week>/<partition>}; readers sum the
 * partitions. Store and output change in the task's exactly-once transaction, so a report is counted once however
 * often its task restarts. A week older than kept is dropped and tombstoned; a report for it counts nowhere.
 * <p>
 * Per partition rather than per week on one key: counting a week in one place would need a repartition of every
 * event (a second exactly-once hop per report) for figures the board reads every few seconds at most.
 */
final class WeeklyTrendCounter extends ContextualProcessor<String, IndicatorInput, String, WeeklyTrend> {

    static final String STORE = "weekly-trends";

    /**
     * @param weeks        weeks kept and published, the current one included
     * @param emitInterval how often (wall clock) the weeks that changed are written to the trends topic
     */
    record TrendSettings(int weeks, Duration emitInterval) {

        static final TrendSettings DEFAULTS = from(Settings.of(Map.of()));

        TrendSettings {
            if (weeks < 2) {
                throw new IllegalStateException("PROCESSOR_TREND_WEEKS must be at least 2 (this week and the last),"
                        + " got " + weeks);
            }
            if (emitInterval.isNegative() || emitInterval.isZero()) {
                throw new IllegalStateException("PROCESSOR_TREND_EMIT_INTERVAL must be positive, got " + emitInterval);
            }
        }

        static TrendSettings from(Settings settings) {
            return new TrendSettings(settings.integer("PROCESSOR_TREND_WEEKS", 26),
                    Duration.parse(settings.string("PROCESSOR_TREND_EMIT_INTERVAL", "PT10S")));
        }
    }

    private final TrendSettings settings;
    private Weeks weeks;
    /**
     * The oldest week kept, as of the last punctuation: not worked out per report. A report counted into a week
     * that fell out since is dropped with it at the next punctuation.
     */
    private LocalDate oldest;

    private WeeklyTrendCounter(TrendSettings settings) {
        this.settings = settings;
    }

    /** Counts the reports of {@code reports} (keyed by indicator, before the rules) into {@code bhxh.trends.v1}. */
    static void buildTopology(StreamsBuilder builder, Topics topics, KStream<String, IndicatorInput> reports,
                              TrendSettings settings) {
        // The record cache is not used: the weeks are kept as objects above it, written down once per commit.
        builder.addStateStore(new WrappingStoreBuilder<>(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(STORE), Serdes.String(),
                new JsonSerde<>(WeeklyTrends.Counts.class)).withCachingDisabled(), Weeks::new));
        Topic<String, WeeklyTrend> trends = topics.trends();
        reports.process(() -> new WeeklyTrendCounter(settings), Named.as("count-weekly-trends"), STORE)
                .to(trends.name(), Produced.with(trends.keySerde(), trends.valueSerde()).withName("write-trends"));
    }

    @Override
    public void init(ProcessorContext<String, WeeklyTrend> context) {
        super.init(context);
        weeks = context.getStateStore(STORE);
        oldest = WeeklyTrends.oldestKept(context.currentSystemTimeMs(), settings.weeks());
        context.schedule(settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, this::emit);
    }

    @Override
    public void process(Record<String, IndicatorInput> record) {
        if (record.value() instanceof IndicatorInput.ReportSeen seen) {
            WeeklyTrends.Contribution contribution = WeeklyTrends.of(seen.event());
            if (!contribution.weekStart().isBefore(oldest)) {
                weeks.count(contribution);
            }
        }
    }

    /** Writes the weeks that changed since the last time, and tombstones (and forgets) those no longer kept. */
    private void emit(long now) {
        oldest = WeeklyTrends.oldestKept(now, settings.weeks());
        int partition = context().taskId().partition();
        for (LocalDate week : weeks.before(oldest)) {
            weeks.drop(week);
            context().forward(new Record<String, WeeklyTrend>(key(week, partition), null, now));
        }
        weeks.unsent().forEach((week, counts) -> context().forward(new Record<>(key(week, partition),
                counts.toRecord(week, partition, Instant.ofEpochMilli(now)), now)));
    }

    static String key(LocalDate weekStart, int partition) {
        return ReportWeeks.label(weekStart) + "/" + partition;
    }

    /**
     * The task's weeks as objects over the store (keyed by the Monday's ISO date, so in order), all of them: a
     * report changes its week's object, and a changed week is written down once per commit ({@link #flushCache},
     * which Streams calls before it commits the transaction, as for {@link IndicatorStateCache}) rather than
     * encoded per report. Loaded at first use, after the store was restored.
     */
    static final class Weeks extends WrappedStateStore<KeyValueStore<String, WeeklyTrends.Counts>, String,
            WeeklyTrends.Counts> {

        private final TreeMap<LocalDate, WeeklyTrends.Counts> counts = new TreeMap<>();
        private final Set<LocalDate> changed = new TreeSet<>();
        private boolean loaded;

        Weeks(KeyValueStore<String, WeeklyTrends.Counts> store) {
            super(store);
        }

        @Override
        public void init(StateStoreContext context, StateStore root) {
            forget();
            super.init(context, root);
        }

        void count(WeeklyTrends.Contribution contribution) {
            WeeklyTrends.Counts week = loaded().computeIfAbsent(contribution.weekStart(),
                    start -> new WeeklyTrends.Counts());
            if (week.add(contribution)) {
                changed.add(contribution.weekStart());
            }
        }

        List<LocalDate> before(LocalDate oldest) {
            return List.copyOf(loaded().headMap(oldest).keySet());
        }

        void drop(LocalDate week) {
            loaded().remove(week);
            changed.remove(week);
            wrapped().delete(week.toString());
        }

        /** The weeks changed since last sent, marked sent (so written down at the next commit). */
        Map<LocalDate, WeeklyTrends.Counts> unsent() {
            Map<LocalDate, WeeklyTrends.Counts> unsent = new TreeMap<>();
            loaded().forEach((week, counts) -> {
                if (counts.unsent) {
                    unsent.put(week, counts);
                    counts.unsent = false;
                    changed.add(week);
                }
            });
            return unsent;
        }

        private TreeMap<LocalDate, WeeklyTrends.Counts> loaded() {
            if (!loaded) {
                try (KeyValueIterator<String, WeeklyTrends.Counts> all = wrapped().all()) {
                    all.forEachRemaining((KeyValue<String, WeeklyTrends.Counts> entry) ->
                            counts.put(LocalDate.parse(entry.key), entry.value));
                }
                loaded = true;
            }
            return counts;
        }

        @Override
        public void flushCache() {
            changed.forEach(week -> wrapped().put(week.toString(), counts.get(week)));
            changed.clear();
            super.flushCache();
        }

        /** A dirty close: what was not written is dropped with the aborted transaction, and read again. */
        @Override
        public void clearCache() {
            forget();
            super.clearCache();
        }

        @Override
        public void close() {
            forget();
            super.close();
        }

        private void forget() {
            counts.clear();
            changed.clear();
            loaded = false;
        }
    }
}
