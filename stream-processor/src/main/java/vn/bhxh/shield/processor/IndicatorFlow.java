package vn.bhxh.shield.processor;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * The indicator flow: reports (ingest's per-indicator records) and decisions, both keyed by canonical indicator on
 * co-partitioned topics, are merged without a repartition, so after ingest's transaction a report crosses one
 * exactly-once commit, the processor's, to the outputs. They are checked against the official-channel allowlist (a
 * GlobalKTable over compacted {@code bhxh.allowlist.v1}, so every instance has all of it and nothing is
 * co-partitioned with it), and reach the {@link IndicatorProcessor}; its outcomes are written to the alert topics,
 * the blocklist, the allowlist and the dead-letter topic.
 */
public final class IndicatorFlow {

    static final String ALLOWLIST_STORE = "allowlist";

    private IndicatorFlow() {
    }

    static void buildTopology(StreamsBuilder builder, Topics topics, KStream<String, IndicatorInput> byIndicator,
                              Rules rules, ProcessorMetrics metrics, IndicatorStateSerde stateSerde) {
        Topic<String, AllowlistEntry> allowlist = topics.allowlist();
        GlobalKTable<String, AllowlistEntry> official = builder.globalTable(allowlist.name(),
                Consumed.with(allowlist.keySerde(), allowlist.valueSerde()).withName("read-allowlist"),
                Materialized.<String, AllowlistEntry, KeyValueStore<Bytes, byte[]>>as(ALLOWLIST_STORE)
                        .withKeySerde(allowlist.keySerde()).withValueSerde(allowlist.valueSerde()));
        // A hot indicator's state is changed by every report: the object cache on top decodes it once and encodes
        // it once per commit, and only when it changed. Kafka Streams' record cache (statestore.cache.max.bytes)
        // would buffer the same writes a second time: it receives them only when the object cache writes down at
        // commit (or evicts), and is flushed right after, so it held a copy of every changed state's bytes for
        // nothing and cost an extra put, copy and LRU update per write. Recent reads are the object cache's, older
        // ones RocksDB's block cache (BoundedRocksDbMemory). So: no record cache for this store. Interactive
        // queries read RocksDB below the object cache and see what the last commit wrote.
        builder.addStateStore(IndicatorStateCache.on(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(IndicatorProcessor.STORE), Serdes.String(), stateSerde)
                .withCachingDisabled()));
        // These two have no object cache: the record cache folds their churn (a renewal due per report of a
        // listed number, an index entry moved) into one changelog record per key and commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IndicatorProcessor.RENEWALS_DUE),
                Serdes.String(), Serdes.String()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IndicatorProcessor.DUE_INDEX),
                Serdes.String(), Serdes.String()).withCachingEnabled());
        EvidenceStore.addStores(builder);

        KStream<String, Outcome> outcomes = byIndicator
                .leftJoin(official, (indicator, input) -> indicator, IndicatorProcessor.Input::new,
                        Named.as("check-allowlist"))
                .process(() -> new IndicatorProcessor(rules, topics, metrics), Named.as("apply-rules"),
                        IndicatorProcessor.STORE, IndicatorProcessor.RENEWALS_DUE, IndicatorProcessor.DUE_INDEX,
                        EvidenceStore.STORE, EvidenceStore.HEADS);

        Topic<String, Alert> alerts = topics.nationalAlerts();
        Serializer<Outcome.AlertRaised> alertSerializer =
                (topic, raised) -> alerts.valueSerde().serializer().serialize(topic, raised.alert());
        outcomes.split(Named.as("outcome-"))
                .branch((key, outcome) -> outcome instanceof Outcome.AlertRaised, Branched.withConsumer(raised -> raised
                        .mapValues(outcome -> (Outcome.AlertRaised) outcome, Named.as("as-alert"))
                        .to((key, outcome, context) -> outcome.topic(), Produced.with(Serdes.String(),
                                Serdes.serdeFrom(alertSerializer, (topic, bytes) -> new Outcome.AlertRaised(topic,
                                        alerts.valueSerde().deserializer().deserialize(topic, bytes))))
                                .withName("write-alerts")), "alerts"))
                .branch((key, outcome) -> outcome instanceof Outcome.BlocklistChanged, Branched.withConsumer(changed ->
                        changed.mapValues(outcome -> ((Outcome.BlocklistChanged) outcome).entry(),
                                        Named.as("as-blocklist-entry"))
                                .to(Topics.BLOCKLIST, Produced.with(topics.blocklist().keySerde(),
                                        topics.blocklist().valueSerde()).withName("write-blocklist")), "blocklist"))
                .branch((key, outcome) -> outcome instanceof Outcome.Allowlisted, Branched.withConsumer(added ->
                        added.mapValues(outcome -> ((Outcome.Allowlisted) outcome).entry(),
                                        Named.as("as-allowlist-entry"))
                                .to(allowlist.name(), Produced.with(allowlist.keySerde(), allowlist.valueSerde())
                                        .withName("write-allowlist")), "allowlist"))
                .defaultBranch(Branched.withConsumer(rejected -> Intake.writeDeadLetters(
                        rejected.mapValues(outcome -> ((Outcome.Rejected) outcome).letter(),
                                Named.as("as-dead-letter")), "rejected-decisions", topics, metrics), "rejected"));
    }
}
